package io.heavykv.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parsed GGUF header. Metadata values are Long (all integer types), Float, Double, Boolean, String, or
 * for arrays: List&lt;String&gt;, float[], double[], long[], boolean[], or List&lt;Object&gt; for nested arrays.
 */
public record GgufFile(int version, Map<String, Object> metadata, Map<String, GgufTensorInfo> tensors,
                       long dataOffset, int alignment) {
    public GgufFile {
        metadata = Map.copyOf(metadata);
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }
}
