package org.mlpages;

import org.mlpages.keras.cli.KerasCommandLine;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class MlPagesApplication {

	public static void main(String[] args) {
		// inspect / convert / verify: the Keras command line, without starting the web server
		if (KerasCommandLine.isCommand(args)) {
			System.exit(KerasCommandLine.run(args, System.out, System.err));
		}
		SpringApplication.run(MlPagesApplication.class, args);
	}

}
