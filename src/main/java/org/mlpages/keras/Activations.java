package org.mlpages.keras;

import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Keras activation functions by their config name. */
public final class Activations {

    private static final Set<String> SUPPORTED =
            Set.of("linear", "relu", "relu6", "softmax", "sigmoid", "tanh");

    private Activations() {
    }

    public static boolean isSupported(String name) {
        return name == null || SUPPORTED.contains(name);
    }

    /** Reads a layer's {@code activation} option and fails if it is not one {@link #apply} knows. */
    public static String of(KerasLayer layer) {
        String name = layer.string("activation", "linear");
        if (!isSupported(name)) {
            throw layer.unsupported("activation '" + name + "' (supported: " + SUPPORTED + ")");
        }
        return name;
    }

    public static Operand<TFloat32> apply(Ops tf, String name, Operand<TFloat32> x) {
        if (name == null) {
            return x;
        }
        return switch (name) {
            case "linear" -> x;
            case "relu" -> tf.nn.relu(x);
            case "relu6" -> tf.nn.relu6(x);
            // Keras' softmax defaults to the last axis, which is what the TF op uses.
            case "softmax" -> tf.nn.softmax(x);
            case "sigmoid" -> tf.math.sigmoid(x);
            case "tanh" -> tf.math.tanh(x);
            default -> throw new KerasImportException("Unsupported activation '" + name + "'");
        };
    }
}
