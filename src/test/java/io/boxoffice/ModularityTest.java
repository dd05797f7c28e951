package io.boxoffice;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;

/** The feature packages are Spring Modulith modules whose boundaries hold. */
class ModularityTest {

	@Test
	void modulesRespectTheirBoundaries() {
		ApplicationModules.of(BoxofficeApplication.class).verify();
	}

}
