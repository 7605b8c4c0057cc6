package org.mlpages.keras.layers;

import java.util.List;
import java.util.Set;
import org.mlpages.keras.KerasLayer;
import org.mlpages.keras.LayerConverter;
import org.mlpages.keras.LayerWeights;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Rescaling: {@code x * scale + offset} with scalar scale and offset. */
public final class RescalingConverter implements LayerConverter {

    @Override
    public Set<String> kerasClasses() {
        return Set.of("Rescaling");
    }

    @Override
    public void validate(KerasLayer layer) {
        // Keras 3 also allows per-channel lists; number() rejects them as unsupported input
        layer.number("scale", 1);
        layer.number("offset", 0);
    }

    @Override
    public Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights,
            List<Operand<TFloat32>> inputs) {
        Operand<TFloat32> x = LayerConverter.single(layer, inputs);
        return tf.math.add(tf.math.mul(x, tf.constant((float) layer.number("scale", 1))),
                tf.constant((float) layer.number("offset", 0)));
    }
}
