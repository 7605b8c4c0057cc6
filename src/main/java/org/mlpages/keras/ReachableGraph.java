package org.mlpages.keras;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.proto.GraphDef;

/**
 * Only what an output is computed from. Converters that fold a step into the next (a
 * padding into its convolution, a normalisation into its kernel) leave the step they
 * replaced in the graph, unused; a SavedModel would keep it, constants and all, in every
 * copy of the graph TensorFlow holds.
 */
final class ReachableGraph {

	private ReachableGraph() {
	}

	/**
	 * A copy of {@code graph} with the given operands' operations and those they depend
	 * on, each under its name.
	 */
	static GraphDef of(Graph graph, Operand<?>... roots) {
		Set<String> needed = new HashSet<>();
		Deque<GraphOperation> pending = new ArrayDeque<>();
		for (Operand<?> root : roots) {
			pending.push((GraphOperation) root.op());
		}
		while (!pending.isEmpty()) {
			GraphOperation op = pending.pop();
			if (!needed.add(op.name())) {
				continue;
			}
			for (Operand<?> input : op.inputs()) {
				pending.push((GraphOperation) input.op());
			}
			pending.addAll(op.controlInputs());
		}
		GraphDef all = graph.toGraphDef();
		GraphDef.Builder kept = all.toBuilder().clearNode();
		all.getNodeList().stream().filter(node -> needed.contains(node.getName())).forEach(kept::addNode);
		return kept.build();
	}

}
