package io.boxoffice;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

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
		byte[] svg = render(inFixedOrder(Files.readString(Path.of(OUTPUT, "components.puml"))));
		assertThat(new String(svg, StandardCharsets.UTF_8)).startsWith("<svg")
			.contains(this.modules.stream().map(ApplicationModule::getDisplayName).toList());
		// written only when it changed, so a build leaves the working tree clean
		if (!Files.exists(DIAGRAM) || !Arrays.equals(Files.readAllBytes(DIAGRAM), svg)) {
			Files.write(DIAGRAM, svg);
		}
	}

	@Test
	void drawsTheSameDiagramWhateverOrderTheModulesAreListedIn() {
		String listed = """
				@startuml
				  Component(App.Event, "Event")
				  Component(App.Booking, "Booking")
				}
				Rel(App.Booking, App.Event, "uses")
				Rel(App.Booking, App.Account, "depends on")
				@enduml
				""";
		String sameOtherwise = """
				@startuml
				  Component(App.Booking, "Booking")
				  Component(App.Event, "Event")
				}
				Rel(App.Booking, App.Account, "depends on")
				Rel(App.Booking, App.Event, "uses")
				@enduml
				""";
		assertThat(inFixedOrder(listed)).isEqualTo(inFixedOrder(sameOtherwise)).isEqualTo(sameOtherwise);
	}

	/**
	 * The diagram with its modules and their relations sorted: Spring Modulith lists them
	 * in no fixed order, and each order draws another picture. Each run of consecutive
	 * {@code Component(..)} or {@code Rel(..)} lines is sorted where it stands.
	 */
	private static String inFixedOrder(String plantUml) {
		List<String> lines = new ArrayList<>(plantUml.lines().toList());
		int start = 0;
		while (start < lines.size()) {
			String macro = macro(lines.get(start));
			int end = start + 1;
			while (!macro.isEmpty() && end < lines.size() && macro.equals(macro(lines.get(end)))) {
				end++;
			}
			Collections.sort(lines.subList(start, end));
			start = end;
		}
		return String.join("\n", lines) + "\n";
	}

	/**
	 * The element a line declares, {@code Component} or {@code Rel}; empty for any other
	 * line.
	 */
	private static String macro(String line) {
		String declared = line.strip();
		return (declared.startsWith("Component(") || declared.startsWith("Rel("))
				? declared.substring(0, declared.indexOf('(')) : "";
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
