package io.heavykv.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Llama2cTokenizerFileTest {
    @TempDir
    Path dir;

    @Test
    void readsTok512() throws IOException {
        Vocabulary v = Llama2cTokenizerFile.read(Tok512.path());
        // Facts from the model README and llama2.c's conventions, checked against the file's own layout.
        assertThat(v.size()).isEqualTo(512);
        assertThat(v.bosId()).isEqualTo(1);
        assertThat(v.eosId()).isEqualTo(2);
        assertThat(v.pieces().get(0)).isEqualTo("<unk>");
        assertThat(v.pieces().get(1)).isEqualTo("\n<s>\n");
        assertThat(v.pieces().get(2)).isEqualTo("\n</s>\n");
        for (int b = 0; b < 256; b++) {
            assertThat(v.pieces().get(3 + b)).isEqualTo(String.format("<0x%02X>", b));
        }
    }

    @Test
    void readsAHandMadeFile() throws IOException {
        Path file = write(le(100).putInt(3)
                .putFloat(0f).putInt(1).put((byte) 'a')
                .putFloat(0f).putInt(3).put("<s>".getBytes())
                .putFloat(0f).putInt(0)
                .putFloat(-2.5f).putInt(2).put("ab".getBytes()));
        Vocabulary v = Llama2cTokenizerFile.read(file);
        assertThat(v.pieces()).containsExactly("a", "<s>", "", "ab");
        assertThat(v.scores()).containsExactly(0f, 0f, 0f, -2.5f);
    }

    @Test
    void truncatedPieceNamesFileAndOffset() throws IOException {
        byte[] full = Files.readAllBytes(Tok512.path());
        Path file = dir.resolve("cut.bin");
        Files.write(file, Arrays.copyOf(full, full.length - 3));
        assertThatThrownBy(() -> Llama2cTokenizerFile.read(file))
                .isInstanceOf(InvalidTokenizerException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("truncated")
                .hasMessageContaining("piece 511")
                // The last piece (U+200A) has 3 bytes; cutting 3 leaves its score and length but none of its bytes.
                .hasMessageContaining("offset " + (full.length - 3));
    }

    @Test
    void truncatedHeader() throws IOException {
        Path file = write(le(2).put((byte) 7).put((byte) 0));
        assertThatThrownBy(() -> Llama2cTokenizerFile.read(file))
                .isInstanceOf(InvalidTokenizerException.class)
                .hasMessageContaining("offset 0")
                .hasMessageContaining("max_token_length");
    }

    @Test
    void absurdPieceLengthIsRejectedBeforeAllocating() throws IOException {
        Path file = write(le(100).putInt(16)
                .putFloat(0f).putInt(1).put((byte) 'a')
                .putFloat(0f).putInt(Integer.MAX_VALUE));
        assertThatThrownBy(() -> Llama2cTokenizerFile.read(file))
                .isInstanceOf(InvalidTokenizerException.class)
                .hasMessageContaining("offset 17")
                .hasMessageContaining("piece 1 has length 2147483647");
    }

    @Test
    void negativeLengthIsRejected() throws IOException {
        Path file = write(le(100).putInt(16).putFloat(0f).putInt(-5));
        assertThatThrownBy(() -> Llama2cTokenizerFile.read(file))
                .isInstanceOf(InvalidTokenizerException.class)
                .hasMessageContaining("offset 8")
                .hasMessageContaining("length -5");
    }

    @Test
    void absurdMaxTokenLengthIsRejected() throws IOException {
        Path file = write(le(4).putInt(-1));
        assertThatThrownBy(() -> Llama2cTokenizerFile.read(file))
                .isInstanceOf(InvalidTokenizerException.class)
                .hasMessageContaining("max_token_length is -1");
    }

    @Test
    void invalidUtf8AndNanScoresAreRejected() throws IOException {
        Path badUtf8 = write(le(100).putInt(4).putFloat(0f).putInt(1).put((byte) 0xC3));
        assertThatThrownBy(() -> Llama2cTokenizerFile.read(badUtf8))
                .isInstanceOf(InvalidTokenizerException.class)
                .hasMessageContaining("offset 12")
                .hasMessageContaining("not valid UTF-8");
        Path nan = write(le(100).putInt(4).putFloat(Float.NaN).putInt(1).put((byte) 'a'));
        assertThatThrownBy(() -> Llama2cTokenizerFile.read(nan))
                .isInstanceOf(InvalidTokenizerException.class)
                .hasMessageContaining("NaN");
    }

    @Test
    void tooFewPiecesForBosAndEos() throws IOException {
        Path file = write(le(100).putInt(4).putFloat(0f).putInt(1).put((byte) 'a'));
        assertThatThrownBy(() -> Llama2cTokenizerFile.read(file))
                .isInstanceOf(InvalidTokenizerException.class)
                .hasMessageContaining("only 1 pieces");
    }

    @Test
    void missingFileIsAnIoError() {
        assertThatThrownBy(() -> Llama2cTokenizerFile.read(dir.resolve("absent.bin"))).isInstanceOf(IOException.class);
    }

    private static ByteBuffer le(int capacity) { return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN); }

    private Path write(ByteBuffer content) throws IOException {
        content.flip();
        byte[] bytes = new byte[content.remaining()];
        content.get(bytes);
        Path file = Files.createTempFile(dir, "tok", ".bin");
        Files.write(file, bytes);
        return file;
    }
}
