package org.mlpages;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class MlPagesApplication {

	public static void main(String[] args) {
		SpringApplication.run(MlPagesApplication.class, args);
	}

}
