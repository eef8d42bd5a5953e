package com.runlayer.spring.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README and the pages under docs/ only link to files of the repository that exist, and cite nothing outside
 * it.
 */
class DocumentationLinksTests {

	private static final Path root = Path.of("..");

	private static final Pattern link = Pattern.compile("\\]\\(([^)#\\s]*)(#[^)\\s]*)?\\)");

	@Test
	void everyRelativeLinkPointsToAnExistingFile() throws IOException {
		List<String> broken = new ArrayList<>();
		for (Path page : pages()) {
			Matcher matcher = link.matcher(Files.readString(page));
			while (matcher.find()) {
				String target = matcher.group(1);
				if (target.isEmpty() || target.startsWith("http://") || target.startsWith("https://")) {
					continue;
				}
				if (!Files.exists(page.getParent().resolve(target))) {
					broken.add(root.relativize(page) + " -> " + target);
				}
			}
		}
		assertThat(broken).isEmpty();
	}

	@Test
	void noPageCitesDocumentsOutsideTheRepository() throws IOException {
		Pattern decisionCode = Pattern.compile("\\bD\\d{1,2}\\b");
		for (Path page : pages()) {
			String text = Files.readString(page);
			assertThat(text).as(page.toString()).doesNotContain("../shared").doesNotContain("steering repository");
			assertThat(decisionCode.matcher(text).find()).as(page + " cites a decision code").isFalse();
		}
	}

	@Test
	void theReadmeLinksEveryReferencePage() throws IOException {
		String readme = Files.readString(root.resolve("README.md"));
		for (Path page : pages()) {
			if (page.getParent().getFileName().toString().equals("docs")) {
				assertThat(readme).as(page.toString()).contains("](docs/" + page.getFileName() + ")");
			}
		}
	}

	private static List<Path> pages() throws IOException {
		List<Path> pages = new ArrayList<>();
		pages.add(root.resolve("README.md"));
		try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
			docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		return pages;
	}

}
