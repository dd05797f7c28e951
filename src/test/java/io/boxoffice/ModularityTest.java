package io.boxoffice;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import net.sourceforge.plantuml.FileFormat;
import net.sourceforge.plantuml.FileFormatOption;
import net.sourceforge.plantuml.SourceStringReader;
import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The feature packages are Spring Modulith modules whose boundaries hold, and the module
 * diagram the README shows is drawn from them.
 */
class ModularityTest {

	private static final String OUTPUT = "target/spring-modulith-docs";

	/**
	 * The picture in the repository, rendered from the diagram Spring Modulith writes.
	 */
	private static final Path DIAGRAM = Path.of("docs", "modules.svg");

	private final ApplicationModules modules = ApplicationModules.of(BoxofficeApplication.class);

	@Test
	void modulesRespectTheirBoundaries() {
		this.modules.verify();
	}

	@Test
	void writesTheModuleDocumentation() throws IOException {
		new Documenter(this.modules, Documenter.Options.defaults().withOutputFolder(OUTPUT)).writeDocumentation();
		byte[] svg = render(Files.readString(Path.of(OUTPUT, "components.puml")));
		assertThat(new String(svg, StandardCharsets.UTF_8)).startsWith("<svg")
			.contains(this.modules.stream().map(ApplicationModule::getDisplayName).toList());
		// written only when it changed, so a build leaves the working tree clean
		if (!Files.exists(DIAGRAM) || !Arrays.equals(Files.readAllBytes(DIAGRAM), svg)) {
			Files.write(DIAGRAM, svg);
		}
	}

	/**
	 * SVG from PlantUML source, laid out by PlantUML's own Java port of Graphviz, so no
	 * {@code dot} binary is needed.
	 */
	private static byte[] render(String plantUml) throws IOException {
		String source = plantUml.replaceFirst("@startuml\\R", "@startuml\n!pragma layout smetana\n");
		ByteArrayOutputStream svg = new ByteArrayOutputStream();
		new SourceStringReader(source).outputImage(svg, new FileFormatOption(FileFormat.SVG, false));
		return svg.toByteArray();
	}

}
