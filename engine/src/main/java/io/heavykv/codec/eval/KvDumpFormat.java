package io.heavykv.codec.eval;

import io.heavykv.kvcache.KvDType;

/**
 * The KV dump file format, version 1. All integers little-endian:
 * <pre>
 *   magic "HKVD" | u32 version | u16 model-name length + UTF-8 bytes
 *   | u32 layers | u32 kv heads | u32 head size | u8 dtype (1 FP16, 2 FP32) | u32 tokens
 *   then for layer 0 .. layers-1: K of every token, then V of every token
 *   (tokens x kv heads x head size values each, token-major, raw IEEE bit patterns).
 * </pre>
 * Nothing follows the last layer; the file length must match the header exactly. K is stored as the
 * cache holds it (rotated or not is the writer's choice; the codecs do not care).
 */
final class KvDumpFormat {
    static final int MAGIC = 'H' | 'K' << 8 | 'V' << 16 | 'D' << 24;
    static final int VERSION = 1;

    private KvDumpFormat() {}

    static int dtypeCode(KvDType dtype) { return dtype == KvDType.FP16 ? 1 : 2; }

    static KvDType dtype(int code) {
        return switch (code) {
            case 1 -> KvDType.FP16;
            case 2 -> KvDType.FP32;
            default -> null;
        };
    }
}
