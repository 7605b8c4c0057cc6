package org.mlpages;

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
		// a command (describe, train-image, ...) runs without the site
		int exit = Commands.run(args, System.out, System.err);
		if (exit != Commands.SERVE) {
			System.exit(exit);
		}
		SpringApplication.run(MlPagesApplication.class, args);
	}

}
