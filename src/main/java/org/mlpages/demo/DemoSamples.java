package org.mlpages.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The samples of the demo page, shipped in the jar under {@code demo/}: photos with the
 * class they really show, and applicants as rows of the credit data set. Their captions
 * are messages ({@code demo.photo.<id>.*}, {@code demo.applicant.<id>.*}); their sources
 * and licences are in {@code demo/photos/NOTICE.md}.
 */
@Component
class DemoSamples {

	private static final String PHOTOS = "demo/photos/";

	private static final String APPLICANTS = "demo/applicants.csv";

	/**
	 * Validation photos the retrained model never trained on. The last one is among the
	 * six of 200 it gets wrong, found by sending every validation photo to it.
	 */
	private static final List<PhotoFile> PHOTO_FILES = List.of(new PhotoFile("cat-2017", "cat.2017.jpg", "Cat", false),
			new PhotoFile("dog-2096", "dog.2096.jpg", "Dog", false),
			new PhotoFile("cat-2048", "cat.2048.jpg", "Cat", false),
			new PhotoFile("dog-2062", "dog.2062.jpg", "Dog", false),
			new PhotoFile("dog-2028", "dog.2028.jpg", "Dog", false),
			new PhotoFile("cat-2029", "cat.2029.jpg", "Cat", true));

	private final List<Photo> photos;

	private final List<Applicant> applicants;

	DemoSamples() {
		this.photos = PHOTO_FILES.stream()
			.map(file -> new Photo(file.id(), file.file(), file.trueLabel(), file.foolsTheModel(),
					read(PHOTOS + file.file())))
			.toList();
		this.applicants = readApplicants();
	}

	List<Photo> photos() {
		return photos;
	}

	List<Applicant> applicants() {
		return applicants;
	}

	Optional<Photo> photo(String id) {
		return photos.stream().filter(photo -> photo.id().equals(id)).findFirst();
	}

	Optional<Applicant> applicant(String id) {
		return applicants.stream().filter(applicant -> applicant.id().equals(id)).findFirst();
	}

	private static byte[] read(String resource) {
		try (InputStream in = new ClassPathResource(resource).getInputStream()) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("demo sample " + resource + " is missing from the jar", ex);
		}
	}

	/**
	 * The rows are copied from credit-g.csv, whose values need no CSV quoting (its
	 * conversion script refuses any that would).
	 */
	private static List<Applicant> readApplicants() {
		List<Applicant> rows = new ArrayList<>();
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(new ClassPathResource(APPLICANTS).getInputStream(), StandardCharsets.UTF_8))) {
			String[] header = in.readLine().split(",", -1);
			for (String line = in.readLine(); line != null; line = in.readLine()) {
				if (line.isBlank()) {
					continue;
				}
				String[] cells = line.split(",", -1);
				Map<String, String> answers = new LinkedHashMap<>();
				for (int i = 2; i < header.length - 1; i++) {
					answers.put(header[i], cells[i]);
				}
				rows.add(new Applicant(cells[0], Integer.parseInt(cells[1]), cells[header.length - 1], answers));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("demo applicants " + APPLICANTS + " cannot be read", ex);
		}
		return List.copyOf(rows);
	}

	private record PhotoFile(String id, String file, String trueLabel, boolean foolsTheModel) {
	}

	/**
	 * @param trueLabel the label id of what the photo shows
	 * @param foolsTheModel whether the demo's model was measured getting it wrong
	 */
	record Photo(String id, String file, String trueLabel, boolean foolsTheModel, byte[] bytes) {
	}

	/**
	 * @param row its row in credit-g.csv, 1 for the first after the header
	 * @param risk how the data set rates the applicant, {@code good} or {@code bad}
	 * @param answers the twenty answers, as the credit model reads them
	 */
	record Applicant(String id, int row, String risk, Map<String, String> answers) {

		int number(String field) {
			return Integer.parseInt(answers.get(field));
		}

	}

}
