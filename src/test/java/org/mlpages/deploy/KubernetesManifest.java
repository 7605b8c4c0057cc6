package org.mlpages.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/kubernetes/mlpages.yaml as objects, and the copy of it that podman kube play can
 * run on one machine.
 */
final class KubernetesManifest {

	static final Path FILE = Path.of("deploy/kubernetes/mlpages.yaml");

	private final List<Map<String, Object>> documents;

	private KubernetesManifest(List<Map<String, Object>> documents) {
		this.documents = documents;
	}

	static KubernetesManifest shipped() throws IOException {
		List<Map<String, Object>> documents = new ArrayList<>();
		for (Object document : new Yaml().loadAll(Files.readString(FILE))) {
			documents.add(map(document));
		}
		return new KubernetesManifest(documents);
	}

	List<Map<String, Object>> all(String kind) {
		return documents.stream().filter(document -> kind.equals(document.get("kind"))).toList();
	}

	Map<String, Object> one(String kind) {
		List<Map<String, Object>> found = all(kind);
		if (found.size() != 1) {
			throw new AssertionError("expected one " + kind + " in " + FILE + ", found " + found.size());
		}
		return found.get(0);
	}

	/** The operator's settings file the Secret holds, as the pods read it. */
	Map<String, Object> settings() {
		return map(new Yaml().load((String) map(one("Secret").get("stringData")).get("application.yml")));
	}

	/** The Deployment's pod template. */
	Map<String, Object> podSpec() {
		return map(at(one("Deployment"), "spec", "template", "spec"));
	}

	/** The app's container in the pod template. */
	Map<String, Object> appContainer() {
		return map(list(podSpec().get("containers")).get(0));
	}

	/**
	 * What podman kube play (4.3, Debian 12's) runs of it on one machine, changed only
	 * where the machine differs from a cluster: the image built here; names of this run's
	 * own; one replica, since every replica would publish the same host port; that port
	 * published on the host; the Secret as a ConfigMap, because this podman crashes on a
	 * secret volume (nil pointer in VolumeFromSecret); the given settings in it (the test
	 * database, the admin's password). The Service and Ingresses are left out: podman has
	 * no such kinds.
	 */
	String playable(String image, String prefix, int hostPort, Map<String, Object> settings) throws IOException {
		// changed on a copy: this one stays as shipped
		KubernetesManifest copy = shipped();
		Map<String, Object> secret = copy.one("Secret");
		Map<String, Object> claim = copy.one("PersistentVolumeClaim");
		Map<String, Object> deployment = copy.one("Deployment");
		String secretName = name(secret);
		String claimName = name(claim);

		Map<String, Object> configMap = new LinkedHashMap<>();
		configMap.put("apiVersion", "v1");
		configMap.put("kind", "ConfigMap");
		configMap.put("metadata", Map.of("name", prefix + secretName));
		configMap.put("data", Map.of("application.yml", new Yaml().dump(settings)));

		map(claim.get("metadata")).put("name", prefix + claimName);
		map(deployment.get("metadata")).put("name", prefix + name(deployment));
		map(deployment.get("spec")).put("replicas", 1);
		// podman removes a run-once init container as soon as it has run, and its 4.3
		// sometimes tries before it has seen the container exit ("failed to remove once
		// init container ... as it is running", podman#18477: twice in two runs on one
		// machine). Kept instead, as Kubernetes keeps it; the manifest is what is tested.
		// podman 4.3 reads the Deployment's annotations for its pod, not the template's.
		map(map(deployment.get("metadata")).computeIfAbsent("annotations", key -> new LinkedHashMap<>()))
			.put("io.podman.annotations.init.container.type", "always");
		Map<String, Object> pod = copy.podSpec();
		for (String kind : List.of("initContainers", "containers")) {
			for (Object container : list(pod.getOrDefault(kind, List.of()))) {
				map(container).put("image", image);
			}
		}
		map(list(copy.appContainer().get("ports")).get(0)).put("hostPort", hostPort);
		for (Object each : list(pod.get("volumes"))) {
			Map<String, Object> volume = map(each);
			if (volume.containsKey("secret")) {
				volume.remove("secret");
				volume.put("configMap", new LinkedHashMap<>(Map.of("name", prefix + secretName)));
			}
			if (volume.containsKey("persistentVolumeClaim")) {
				map(volume.get("persistentVolumeClaim")).put("claimName", prefix + claimName);
			}
		}
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		return new Yaml(options).dumpAll(List.of(configMap, claim, deployment).iterator());
	}

	static String name(Map<String, Object> document) {
		return (String) map(document.get("metadata")).get("name");
	}

	static Object at(Map<String, Object> root, String... path) {
		Object here = root;
		for (String key : path) {
			here = map(here).get(key);
		}
		return here;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		if (!(value instanceof Map)) {
			throw new AssertionError("expected a mapping in " + FILE + ", found " + value);
		}
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	static List<Object> list(Object value) {
		if (!(value instanceof List)) {
			throw new AssertionError("expected a list in " + FILE + ", found " + value);
		}
		return (List<Object>) value;
	}

}
