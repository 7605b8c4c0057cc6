package org.mlpages;

import org.mlpages.image.training.TrainImageCommand;
import org.mlpages.keras.cli.KerasCommandLine;
import org.mlpages.tabular.DescribeCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration;
import org.springframework.scheduling.annotation.EnableScheduling;

// sessions go to the database only when it is shared: org.mlpages.cluster.SharedSessions
@SpringBootApplication(exclude = JdbcSessionAutoConfiguration.class)
@ConfigurationPropertiesScan
@EnableScheduling
public class MlPagesApplication {

	public static void main(String[] args) {
		// describe model.onnx: a tabular model's descriptor to complete
		if (DescribeCommand.isCommand(args)) {
			System.exit(DescribeCommand.run(args, System.out, System.err));
		}
		// inspect / convert / verify: the Keras command line, without starting the web
		// server
		if (KerasCommandLine.isCommand(args)) {
			System.exit(KerasCommandLine.run(args, System.out, System.err));
		}
		// train-image: a new head on a Keras image model, also without the web server
		if (TrainImageCommand.isCommand(args)) {
			System.exit(TrainImageCommand.run(args, System.out, System.err));
		}
		SpringApplication.run(MlPagesApplication.class, args);
	}

}
