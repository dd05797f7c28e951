package io.boxoffice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OnSaleBenchTest {

	@Test
	void admissionsInTheLinesOrderAreNoInversions() {
		assertEquals(0, OnSaleBench.inversions(new long[] { 1, 2, 3, 4 }));
	}

	@Test
	void buyersAdmittedByOneStepShareATimeWhichIsNoInversion() {
		assertEquals(0, OnSaleBench.inversions(new long[] { 5, 5, 5, 7, 7 }));
	}

	@Test
	void everyPairAdmittedOutOfOrderIsCounted() {
		assertEquals(6, OnSaleBench.inversions(new long[] { 4, 3, 2, 1 }));
		// 2 before each 1 (three pairs), nothing else
		assertEquals(3, OnSaleBench.inversions(new long[] { 2, 1, 2, 1 }));
	}

	@Test
	void aNewSectionReplacesTheOldOneAndKeepsTheRest() {
		String results = "before\n<!-- on-sale -->\nold\n<!-- /on-sale -->\nafter\n";
		assertEquals("before\n<!-- on-sale -->\nnew\n<!-- /on-sale -->\nafter\n",
				OnSaleBench.replaceSection(results, "<!-- on-sale -->\nnew\n<!-- /on-sale -->\n"));
	}

	@Test
	void aSectionNotThereYetIsAppended() {
		assertEquals("tables\n\n<!-- on-sale -->\nnew\n<!-- /on-sale -->\n",
				OnSaleBench.replaceSection("tables\n", "<!-- on-sale -->\nnew\n<!-- /on-sale -->\n"));
	}

}
