package io.heavykv.codec;

import java.util.EnumMap;
import java.util.Map;

/** The implementation behind every {@link CodecId}. */
public final class BlockCodecs {
    private static final Map<CodecId, BlockCodec> CODECS = new EnumMap<>(CodecId.class);

    static {
        register(new StoredCodec());
        register(new ZstdCodec());
        register(new PlaneCodec(CodecId.PLANES, Predictor.NONE, PlaneLayout.TOKEN_MAJOR));
        register(new PlaneCodec(CodecId.PLANES_CM, Predictor.NONE, PlaneLayout.CHANNEL_MAJOR));
        register(new PlaneCodec(CodecId.DELTA_PLANES, Predictor.DELTA, PlaneLayout.TOKEN_MAJOR));
        register(new PlaneCodec(CodecId.DELTA_PLANES_CM, Predictor.DELTA, PlaneLayout.CHANNEL_MAJOR));
        register(new PlaneCodec(CodecId.XOR_PLANES, Predictor.XOR, PlaneLayout.TOKEN_MAJOR));
        register(new PlaneCodec(CodecId.XOR_PLANES_CM, Predictor.XOR, PlaneLayout.CHANNEL_MAJOR));
        register(new DedupPlaneCodec());
        register(new ContextModelCodec());
    }

    private BlockCodecs() {}

    private static void register(BlockCodec codec) { CODECS.put(codec.id(), codec); }

    public static BlockCodec of(CodecId id) { return CODECS.get(id); }

    /** How figures name a frame's codec: its name, with "+dict" when a dictionary or model took part. */
    public static String label(CodecId codec, BlockDictionary used) {
        return used == null ? codec.toString() : codec + "+dict";
    }

    /** Of a stream's zstd dictionary and context model (either may be null), the one {@code codec} takes. */
    public static BlockDictionary dictionaryFor(CodecId codec, ZstdDictionary dict, ContextModel model) {
        BlockCodec impl = of(codec);
        return impl.takes(dict) ? dict : impl.takes(model) ? model : null;
    }
}
