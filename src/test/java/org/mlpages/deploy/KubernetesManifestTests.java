package org.mlpages.deploy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mlpages.deploy.KubernetesManifest.at;
import static org.mlpages.deploy.KubernetesManifest.list;
import static org.mlpages.deploy.KubernetesManifest.map;
import static org.mlpages.deploy.KubernetesManifest.name;

/**
 * What podman kube play cannot check of deploy/kubernetes/mlpages.yaml (ContainerImageIT
 * plays the rest): that its parts name each other as Kubernetes joins them.
 */
class KubernetesManifestTests {

	private final KubernetesManifest manifest = KubernetesManifest.shipped();

	KubernetesManifestTests() throws IOException {
	}

	@Test
	void theServiceReachesTheDeploymentsPodsOnTheirPort() {
		Map<String, Object> labels = map(at(manifest.one("Deployment"), "spec", "template", "metadata", "labels"));
		assertThat(map(at(manifest.one("Deployment"), "spec", "selector", "matchLabels"))).isEqualTo(labels);
		Map<String, Object> service = manifest.one("Service");
		assertThat(labels).containsAllEntriesOf(map(at(service, "spec", "selector")));
		Set<Object> containerPorts = list(manifest.appContainer().get("ports")).stream()
			.map(port -> map(port).get("name"))
			.collect(Collectors.toSet());
		for (Object port : list(at(service, "spec", "ports"))) {
			assertThat(containerPorts).contains(map(port).get("targetPort"));
		}
	}

	@Test
	void everyIngressPathGoesToTheServiceByAPortItHas() {
		String service = name(manifest.one("Service"));
		Set<Object> servicePorts = list(at(manifest.one("Service"), "spec", "ports")).stream()
			.map(port -> map(port).get("name"))
			.collect(Collectors.toSet());
		List<Map<String, Object>> ingresses = manifest.all("Ingress");
		assertThat(ingresses).hasSize(2);
		for (Map<String, Object> ingress : ingresses) {
			for (Object rule : list(at(ingress, "spec", "rules"))) {
				for (Object path : list(at(map(rule), "http", "paths"))) {
					Map<String, Object> backend = map(at(map(path), "backend", "service"));
					assertThat(backend.get("name")).isEqualTo(service);
					assertThat(servicePorts).contains(map(backend.get("port")).get("name"));
				}
			}
		}
	}

	/**
	 * The admin's pages stick to one pod, as the shipped Nginx site sends them to one
	 * instance: training runs and drafts live in its memory.
	 */
	@Test
	void theAdminsPagesStickToOnePod() {
		Map<String, Object> admin = manifest.all("Ingress")
			.stream()
			.filter(ingress -> name(ingress).equals("mlpages-admin"))
			.findFirst()
			.orElseThrow();
		assertThat(map(at(admin, "metadata", "annotations"))).containsEntry("nginx.ingress.kubernetes.io/affinity",
				"cookie");
		List<Object> paths = list(at(map(list(at(admin, "spec", "rules")).get(0)), "http", "paths")).stream()
			.map(path -> map(path).get("path"))
			.toList();
		assertThat(paths).containsExactlyInAnyOrder("/training", "/admin");
	}

	@Test
	void everyMountedVolumeIsDeclaredAndNamesTheSecretAndTheClaim() {
		Map<String, Object> pod = manifest.podSpec();
		Map<Object, Map<String, Object>> volumes = list(pod.get("volumes")).stream()
			.map(KubernetesManifest::map)
			.collect(Collectors.toMap(volume -> volume.get("name"), volume -> volume));
		for (String kind : List.of("initContainers", "containers")) {
			for (Object container : list(pod.get(kind))) {
				for (Object mount : list(map(container).get("volumeMounts"))) {
					assertThat(volumes).containsKey(map(mount).get("name"));
				}
			}
		}
		assertThat(volumes.values()).anySatisfy(
				volume -> assertThat(at(volume, "secret", "secretName")).isEqualTo(name(manifest.one("Secret"))));
		assertThat(volumes.values()).anySatisfy(volume -> assertThat(at(volume, "persistentVolumeClaim", "claimName"))
			.isEqualTo(name(manifest.one("PersistentVolumeClaim"))));
		assertThat(list(at(manifest.one("PersistentVolumeClaim"), "spec", "accessModes")))
			.as("one volume for every pod, on every node")
			.containsExactly("ReadWriteMany");
	}

	/** Several pods need one MySQL/MariaDB database and the sessions in it. */
	@Test
	void theSettingsShareTheDatabaseAndTheSessions() {
		Map<String, Object> settings = manifest.settings();
		assertThat((String) at(settings, "spring", "datasource", "url")).startsWith("jdbc:mysql://");
		assertThat(at(settings, "mlpages", "sessions", "in-database")).isEqualTo(true);
	}

	/**
	 * Boot's own probes (on by default since Boot 4); the readiness group also waits for
	 * the models (application.yml, SitePagesWebTests).
	 */
	@Test
	void trafficWaitsForTheModelsAndADatabaseOutageRestartsNothing() {
		Map<String, Object> app = manifest.appContainer();
		assertThat(at(app, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
		assertThat(at(app, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
	}

}
