package io.heavykv.model;

import io.heavykv.tensor.TensorType;
import io.heavykv.tensor.UnsupportedTensorTypeException;
import io.heavykv.testing.SharedModels;
import io.heavykv.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BadModelFileTest {
    @TempDir
    Path tmp;

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(tmp.resolve(name), bytes);
    }

    private static byte[] stories(String file) throws Exception {
        return Files.readAllBytes(SharedModels.stories260K(file));
    }

    private byte[] tinyGguf() throws Exception {
        return Files.readAllBytes(TinyModels.gguf(tmp, TensorType.Q8_0));
    }

    /** Where {@code needle} first occurs in {@code hay}, for tests that patch a file's bytes. */
    static int indexOf(byte[] hay, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + n.length <= hay.length; i++) {
            for (int j = 0; j < n.length; j++) if (hay[i + j] != n[j]) continue outer;
            return i;
        }
        throw new AssertionError(needle + " not found");
    }

    private static void putInt(byte[] b, int at, int v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
    }

    private static void putLong(byte[] b, int at, long v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at, v);
    }

    @Test
    void missingAndEmptyFilesAreNamed() throws Exception {
        assertThatThrownBy(() -> ModelLoader.load(tmp.resolve("nope.bin")))
                .isInstanceOf(InvalidModelException.class).hasMessageContaining("not found").hasMessageContaining("nope.bin");
        Path empty = write("empty.bin", new byte[0]);
        assertThatThrownBy(() -> ModelLoader.load(empty)).isInstanceOf(InvalidModelException.class).hasMessageContaining("empty");
    }

    @Test
    void unknownFormatIsRejected() throws Exception {
        byte[] junk = new byte[100];
        Arrays.fill(junk, (byte) 0xff);
        Path p = write("junk.bin", junk);
        assertThatThrownBy(() -> ModelLoader.load(p)).isInstanceOf(InvalidModelException.class).hasMessageContaining("unknown model format");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.001, 0.3, 0.5, 0.9, 0.9999})
    void truncatedLegacyCheckpointsNameTheTensorThatDoesNotFit(double fraction) throws Exception {
        byte[] full = stories("stories260K.bin");
        Path p = write("cut.bin", Arrays.copyOf(full, Math.max(28, (int) (full.length * fraction))));
        assertThatThrownBy(() -> ModelLoader.load(p)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("cut.bin").hasMessageContaining("truncated");
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 27, 100, 255, 300, 100_000})
    void truncatedVersion1ExportsAreRejected(int length) throws Exception {
        Path p = write("cut-v1.bin", Arrays.copyOf(stories("stories260K-v1.bin"), length));
        assertThatThrownBy(() -> ModelLoader.load(p)).isInstanceOf(InvalidModelException.class).hasMessageContaining("cut-v1.bin");
    }

    @Test
    void trailingBytesMeanTheHeaderDoesNotDescribeTheFile() throws Exception {
        byte[] full = stories("stories260K.bin");
        Path p = write("long.bin", Arrays.copyOf(full, full.length + 8));
        assertThatThrownBy(() -> ModelLoader.load(p)).isInstanceOf(InvalidModelException.class).hasMessageContaining("the header describes");
    }

    @Test
    void absurdLlama2cHeaderIsRejectedBeforeMapping() throws Exception {
        byte[] b = stories("stories260K-v1.bin");
        putInt(b, 8, 1 << 30);       // dim
        putInt(b, 16, 1 << 20);      // layers
        Path p = write("huge.bin", b);
        assertThatThrownBy(() -> ModelLoader.load(p)).isInstanceOf(InvalidModelException.class).hasMessageContaining("truncated");
        byte[] c = stories("stories260K-v1.bin");
        putInt(c, 20, 7);            // heads no longer divide dim 64
        Path q = write("heads.bin", c);
        assertThatThrownBy(() -> ModelLoader.load(q)).isInstanceOf(InvalidModelException.class).hasMessageContaining("n_heads 7");
    }

    @Test
    void unknownExportVersionIsNamed() throws Exception {
        byte[] b = stories("stories260K-v1.bin");
        putInt(b, 4, 2);
        Path p = write("v2.bin", b);
        assertThatThrownBy(() -> ModelLoader.load(p)).isInstanceOf(InvalidModelException.class).hasMessageContaining("version 2");
    }

    @Test
    void truncatedGgufIsRejectedAtEveryCut() throws Exception {
        byte[] full = tinyGguf();
        int dataStart = (int) GgufReader.header(TinyModels.gguf(tmp, TensorType.Q8_0)).dataOffset();
        for (int cut : new int[] {3, 8, 20, 30, 200, dataStart / 2, dataStart - 1, dataStart + 10, full.length / 2, full.length - 1}) {
            Path p = write("cut.gguf", Arrays.copyOf(full, cut));
            assertThatThrownBy(() -> ModelLoader.load(p)).as("cut at %d", cut)
                    .isInstanceOf(InvalidModelException.class).hasMessageContaining("cut.gguf");
        }
    }

    @Test
    void unsupportedGgufVersion() throws Exception {
        byte[] b = tinyGguf();
        putInt(b, 4, 1);
        Path p = write("v1.gguf", b);
        assertThatThrownBy(() -> ModelLoader.load(p)).isInstanceOf(InvalidModelException.class).hasMessageContaining("GGUF version 1");
    }

    @Test
    void absurdCountsAndLengthsFailBeforeAllocating() throws Exception {
        byte[] a = tinyGguf();
        putLong(a, 16, 1L << 40); // metadata count
        Path p = write("kv.gguf", a);
        assertThatThrownBy(() -> ModelLoader.load(p)).isInstanceOf(InvalidModelException.class).hasMessageContaining("metadata count");

        byte[] b = tinyGguf();
        putLong(b, 8, -1L); // tensor count 2^64-1
        Path q = write("tensors.gguf", b);
        assertThatThrownBy(() -> ModelLoader.load(q)).isInstanceOf(InvalidModelException.class).hasMessageContaining("tensor count");

        byte[] c = tinyGguf();
        putLong(c, 24, Long.MAX_VALUE); // length of the first key
        Path r = write("key.gguf", c);
        assertThatThrownBy(() -> ModelLoader.load(r)).isInstanceOf(InvalidModelException.class).hasMessageContaining("length of metadata key #0");

        byte[] d = tinyGguf();
        int tokens = indexOf(d, "tokenizer.ggml.tokens") + "tokenizer.ggml.tokens".length();
        putLong(d, tokens + 8, 1L << 50); // array length, after value type and element type
        Path s = write("array.gguf", d);
        assertThatThrownBy(() -> ModelLoader.load(s)).isInstanceOf(InvalidModelException.class).hasMessageContaining("tokenizer.ggml.tokens");
    }

    /** Position just after a tensor's name in the tensor table: n_dims, dims, type, offset follow. */
    private static int tensorInfo(byte[] b, String name) {
        // The name also occurs nowhere else; its u64 length precedes it.
        return indexOf(b, name) + name.length();
    }

    @Test
    void tensorOffsetPastTheEndIsNamed() throws Exception {
        byte[] b = tinyGguf();
        int at = tensorInfo(b, "blk.1.ffn_up.weight");
        putLong(b, at + 4 + 16 + 4, 1L << 40);
        Path p = write("offset.gguf", b);
        assertThatThrownBy(() -> ModelLoader.load(p)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("blk.1.ffn_up.weight").hasMessageContaining("past the end");
    }

    @Test
    void overlappingTensorsAreRefused() throws Exception {
        byte[] b = tinyGguf();
        int gate = tensorInfo(b, "blk.1.ffn_gate.weight") + 4 + 16 + 4;
        long gateOffset = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(gate);
        putLong(b, tensorInfo(b, "blk.1.ffn_up.weight") + 4 + 16 + 4, gateOffset);
        Path p = write("overlap.gguf", b);
        assertThatThrownBy(() -> ModelLoader.load(p)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining(p.toString()).hasMessageContaining("blk.1.ffn_up.weight").hasMessageContaining("overlap");
    }

    @Test
    void anInfiniteRmsEpsIsRefused() throws Exception {
        byte[] b = tinyGguf();
        int at = indexOf(b, "llama.attention.layer_norm_rms_epsilon") + "llama.attention.layer_norm_rms_epsilon".length();
        putInt(b, at + 4, Float.floatToIntBits(Float.POSITIVE_INFINITY));
        Path p = write("eps.gguf", b);
        assertThatThrownBy(() -> ModelLoader.load(p)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining(p.toString()).hasMessageContaining("rms eps").hasMessageContaining("Infinity");
    }

    @Test
    void tensorsOfBlocksBeyondTheBlockCountAreRefused() throws Exception {
        byte[] b = tinyGguf();
        int at = indexOf(b, "llama.block_count") + "llama.block_count".length();
        putInt(b, at + 4, 1);
        Path p = write("blocks.gguf", b);
        assertThatThrownBy(() -> ModelLoader.load(p)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining(p.toString()).hasMessageContaining("belongs to block 1").hasMessageContaining("declares 1 blocks");
    }

    @Test
    void aRetypedTensorIsRefusedAtLoadNamingIt() throws Exception {
        byte[] b = tinyGguf();
        // Q8_0 (id 8) read as Q4_0 (id 2): the same shape in fewer bytes, so the weights would load as garbage.
        putInt(b, tensorInfo(b, "blk.0.attn_q.weight") + 4 + 16, 2);
        Path p = write("retyped.gguf", b);
        assertThatThrownBy(() -> ModelLoader.load(p)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining(p.toString()).hasMessageContaining("blk.0.attn_q.weight (Q4_0 [64, 64])")
                .hasMessageContaining("its type or shape");
    }

    @Test
    void anAlignmentThatMovesTheDataSectionIsRefusedAtLoadNamingIt() throws Exception {
        // general.alignment=1 starts the data section right after the header instead of at the next multiple of
        // 32, where the data is; a name of the right length makes sure those differ.
        LlamaConfig config = TinyModels.tinyConfig();
        for (String name = "tiny"; ; name += "x") {
            Path good = tmp.resolve("aligned.gguf");
            Files.deleteIfExists(good);
            LlamaGguf.writer(config, RandomModelGenerator.syntheticVocabulary(config.vocabSize()), name, TensorType.Q8_0, false,
                    RandomModelGenerator.source(config, 42)).putUInt32(GgufParser.ALIGNMENT_KEY, 32).write(good);
            byte[] b = Files.readAllBytes(good);
            if (headerEnd(b) % 32 == 0) continue;
            try (Model model = ModelLoader.load(good)) {
                assertThat(model.config().layers()).isEqualTo(config.layers());
            }
            putInt(b, indexOf(b, GgufParser.ALIGNMENT_KEY) + GgufParser.ALIGNMENT_KEY.length() + 4, 1);
            Path p = write("alignment.gguf", b);
            assertThatThrownBy(() -> ModelLoader.load(p)).isInstanceOf(InvalidModelException.class)
                    .hasMessageContaining(p.toString()).hasMessageContaining("general.alignment=1");
            return;
        }
    }

    /** Where a GGUF's tensor table ends: after the last tensor's name, n_dims, dims, type and offset. */
    private static int headerEnd(byte[] b) {
        List<String> names = List.copyOf(GgufParser.parse(MemorySegment.ofArray(b), "header").tensors().keySet());
        int at = tensorInfo(b, names.getLast());
        return at + 4 + 8 * b[at] + 4 + 8;
    }

    @Test
    void unknownTensorTypeNamesTensorAndType() throws Exception {
        byte[] b = tinyGguf();
        putInt(b, tensorInfo(b, "blk.0.attn_k.weight") + 4 + 16, 23);
        Path p = write("type.gguf", b);
        assertThatThrownBy(() -> ModelLoader.load(p)).isInstanceOf(UnsupportedTensorTypeException.class)
                .hasMessageContaining("blk.0.attn_k.weight").hasMessageContaining("IQ4_XS (id 23)")
                .hasMessageContaining("supported: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K, Q6_K");
    }

    /** A K-quant tensor cut short inside its super-blocks: the tensor and the file are named, nothing is read. */
    @Test
    void truncatedKQuantTensorIsNamed() throws Exception {
        // Widths of 256 so the matrices really are stored as Q4_K (narrower ones would stay F32).
        LlamaConfig config = new LlamaConfig(256, 512, 1, 4, 2, 300, 128, 10000f, 1e-5f);
        Path full = TinyModels.gguf(tmp, config, TensorType.Q4_K, 42);
        GgufFile header = GgufReader.header(full);
        GgufTensorInfo last = header.tensors().values().stream()
                .max(java.util.Comparator.comparingLong(GgufTensorInfo::offset)).orElseThrow();
        assertThat(last.ggmlType()).as(last.name()).isEqualTo(TensorType.Q4_K.ggmlId());
        long cut = header.dataOffset() + last.offset() + TensorType.Q4_K.byteSize(last.elements()) / 2 + 77;
        Path p = write("cut-q4k.gguf", Arrays.copyOf(Files.readAllBytes(full), (int) cut));
        assertThatThrownBy(() -> ModelLoader.load(p)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("cut-q4k.gguf").hasMessageContaining(last.name()).hasMessageContaining("truncated");
    }

    @Test
    void missingTensorIsNamed() throws Exception {
        byte[] b = tinyGguf();
        int at = indexOf(b, "blk.1.ffn_up.weight");
        b[at + "blk.1.ffn_u".length()] = 'X';
        Path p = write("missing.gguf", b);
        assertThatThrownBy(() -> ModelLoader.load(p)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("blk.1.ffn_up.weight is missing");
    }

    @Test
    void shapeThatDisagreesWithTheConfigIsNamed() throws Exception {
        byte[] b = tinyGguf();
        int at = indexOf(b, "llama.feed_forward_length") + "llama.feed_forward_length".length();
        putInt(b, at + 4, 96); // the tensors were written for 128
        Path p = write("shape.gguf", b);
        assertThatThrownBy(() -> ModelLoader.load(p)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("blk.0.ffn_gate.weight").hasMessageContaining("shape [64, 128]")
                .hasMessageContaining("[64, 96]");
    }

    @Test
    void foreignTokenizerIsNamed() throws Exception {
        byte[] b = tinyGguf();
        int at = indexOf(b, "tokenizer.ggml.model") + "tokenizer.ggml.model".length();
        // value: type (4), length (8), then "llama" -> "gpt2x" keeps the length
        System.arraycopy("gpt2x".getBytes(StandardCharsets.US_ASCII), 0, b, at + 12, 5);
        Path p = write("gpt2.gguf", b);
        assertThatThrownBy(() -> ModelLoader.load(p)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("'gpt2x'").hasMessageContaining("tokenizer.ggml.model")
                .hasMessageContaining("supported: 'llama' (sentencepiece), 'gpt2' (byte-level BPE)");
    }

    @Test
    void foreignArchitectureIsNamed() throws Exception {
        byte[] b = tinyGguf();
        int at = indexOf(b, "general.architecture") + "general.architecture".length();
        System.arraycopy("gemma".getBytes(StandardCharsets.US_ASCII), 0, b, at + 12, 5);
        Path p = write("arch.gguf", b);
        assertThatThrownBy(() -> ModelLoader.load(p)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("'gemma' is not supported");
    }

    @Test
    void deeplyNestedArraysAreRefused() throws Exception {
        // magic, version 3, 0 tensors, 1 kv: key "k", type array, then arrays of arrays, each of length 1.
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46554747).putInt(3).putLong(0).putLong(1).putLong(1).put((byte) 'k').putInt(9);
        while (b.remaining() > 12) b.putInt(9).putLong(1);
        Path p = write("nest.gguf", b.array());
        assertThatThrownBy(() -> ModelLoader.load(p)).isInstanceOf(InvalidModelException.class).hasMessageContaining("nests arrays");
    }
}
