package org.mlpages.bench;

import java.util.Collection;
import java.util.List;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler for a shared machine: per iteration, the CPU time the benchmark JVM
 * (TensorFlow's threads included) spent per operation, and the CPU other processes took
 * meanwhile (% of one core). CPU per operation hardly changes when others take cores
 * away; wall time does. Results: {@code cpu.ms/op} and {@code others.%}.
 */
public class CpuTimeProfiler implements InternalProfiler {

	private long cpuStart;

	private long machineStart;

	private long wallStart;

	@Override
	public String getDescription() {
		return "process CPU time per operation, and CPU used by other processes";
	}

	@Override
	public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
		cpuStart = BenchSupport.ownCpuNanos();
		machineStart = BenchSupport.machineBusyNanos();
		wallStart = System.nanoTime();
	}

	@Override
	public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
			IterationResult result) {
		long cpu = BenchSupport.ownCpuNanos() - cpuStart;
		long machine = BenchSupport.machineBusyNanos() - machineStart;
		double seconds = (System.nanoTime() - wallStart) / 1e9;
		long ops = Math.max(1, result.getMetadata().getMeasuredOps());
		double others = Math.max(0, (machine - cpu) / 1e9 / seconds * 100);
		return List.of(new ScalarResult("cpu.ms/op", cpu / 1e6 / ops, "ms/op", AggregationPolicy.AVG),
				new ScalarResult("others.%", others, "% of a core", AggregationPolicy.AVG));
	}

}
