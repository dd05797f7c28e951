package io.boxoffice;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class BoxofficeApplication {

	public static void main(String[] args) {
		SpringApplication.run(BoxofficeApplication.class, args);
	}

}
