package io.heavykv.codec.eval;

import io.heavykv.files.InputFiles;
import io.heavykv.kvcache.KvDType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads and validates a KV dump ({@link KvDumpFormat}); the whole length is checked before any stream is allocated. */
public final class KvDumpReader {
    private KvDumpReader() {}

    public static KvDump read(Path path) throws IOException {
        long fileSize = Files.size(InputFiles.requireRegular(path, "KV dump"));
        try (InputStream in = Files.newInputStream(path)) {
            byte[] fixed = readExactly(in, path, 0, 10);
            ByteBuffer b = ByteBuffer.wrap(fixed).order(ByteOrder.LITTLE_ENDIAN);
            int magic = b.getInt();
            if (magic != KvDumpFormat.MAGIC) fail(path, 0, String.format("bad magic 0x%08x, not a KV dump", magic));
            int version = b.getInt();
            if (version != KvDumpFormat.VERSION) fail(path, 4, "unsupported version " + version + ", expected " + KvDumpFormat.VERSION);
            int nameLength = Short.toUnsignedInt(b.getShort());
            if (nameLength > KvDumpHeader.MAX_MODEL_NAME_BYTES) {
                fail(path, 8, "model name length " + nameLength + " exceeds " + KvDumpHeader.MAX_MODEL_NAME_BYTES);
            }
            byte[] name = readExactly(in, path, 10, nameLength);
            long geometryAt = 10L + nameLength;
            ByteBuffer g = ByteBuffer.wrap(readExactly(in, path, geometryAt, 17)).order(ByteOrder.LITTLE_ENDIAN);
            long layers = Integer.toUnsignedLong(g.getInt());
            long kvHeads = Integer.toUnsignedLong(g.getInt());
            long headSize = Integer.toUnsignedLong(g.getInt());
            int dtypeCode = g.get() & 0xFF;
            long tokens = Integer.toUnsignedLong(g.getInt());
            KvDType dtype = KvDumpFormat.dtype(dtypeCode);
            if (dtype == null) fail(path, geometryAt + 12, "unknown dtype code " + dtypeCode + ", expected 1 (FP16) or 2 (FP32)");
            String problem = KvDumpHeader.problem(layers, kvHeads, headSize, tokens);
            if (problem != null) fail(path, geometryAt, problem);
            KvDumpHeader header = new KvDumpHeader(decodeName(path, name), (int) layers, (int) kvHeads, (int) headSize, dtype, (int) tokens);
            long dataAt = geometryAt + 17;
            long expected = dataAt + 2 * header.layers() * header.streamBytes();
            if (fileSize != expected) {
                fail(path, dataAt, "file has " + fileSize + " bytes, header describes " + expected
                        + (fileSize < expected ? " (truncated)" : " (trailing bytes)"));
            }
            if (header.streamBytes() > Integer.MAX_VALUE - 8) fail(path, dataAt, "layer stream of " + header.streamBytes() + " bytes is too large to load");
            List<byte[]> keys = new ArrayList<>();
            List<byte[]> values = new ArrayList<>();
            long at = dataAt;
            for (int l = 0; l < header.layers(); l++) {
                keys.add(readExactly(in, path, at, (int) header.streamBytes()));
                at += header.streamBytes();
                values.add(readExactly(in, path, at, (int) header.streamBytes()));
                at += header.streamBytes();
            }
            return new KvDump(header, keys, values);
        }
    }

    private static String decodeName(Path path, byte[] name) throws InvalidKvDumpException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(name)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidKvDumpException(path + " at offset 10: model name is not valid UTF-8");
        }
    }

    private static byte[] readExactly(InputStream in, Path path, long offset, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            fail(path, offset, "truncated: needed " + length + " bytes, found " + bytes.length);
        }
        return bytes;
    }

    private static void fail(Path path, long offset, String message) throws InvalidKvDumpException {
        throw new InvalidKvDumpException(path + " at offset " + offset + ": " + message);
    }
}
