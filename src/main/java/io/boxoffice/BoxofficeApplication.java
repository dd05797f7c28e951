package io.boxoffice;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.scheduling.annotation.EnableScheduling;

// no /error page: errors outside Spring MVC are problem+json from the servlet container's
// report valve (shared.web.ProblemErrorReports)
@SpringBootApplication(exclude = ErrorMvcAutoConfiguration.class)
@ConfigurationPropertiesScan
@EnableScheduling
public class BoxofficeApplication {

	public static void main(String[] args) {
		SpringApplication.run(BoxofficeApplication.class, args);
	}

}
