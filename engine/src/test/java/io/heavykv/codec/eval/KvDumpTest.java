package io.heavykv.codec.eval;

import io.heavykv.kvcache.KvDType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KvDumpTest {
    @TempDir
    Path dir;

    @Test
    void writtenDumpsReadBackIdentically() throws IOException {
        KvDump dump = SyntheticKv.generate(3, 2, 8, 5, KvDType.FP32, 7);
        Path file = dir.resolve("kv.dump");
        KvDumpWriter.write(file, dump);
        KvDump back = KvDumpReader.read(file);
        assertThat(back.header()).isEqualTo(dump.header());
        for (int l = 0; l < 3; l++) {
            assertThat(back.keys().get(l)).isEqualTo(dump.keys().get(l));
            assertThat(back.values().get(l)).isEqualTo(dump.values().get(l));
        }
        assertThat(Files.size(file)).isEqualTo(4 + 4 + 2 + "synthetic".length() + 17 + 2L * 3 * 5 * 16 * 4);
    }

    @Test
    void rejectsTruncatedAndOverlongFiles() throws IOException {
        Path file = dir.resolve("kv.dump");
        KvDumpWriter.write(file, SyntheticKv.generate(1, 1, 4, 3, KvDType.FP16, 1));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 1));
        assertThatThrownBy(() -> KvDumpReader.read(file)).isInstanceOf(InvalidKvDumpException.class).hasMessageContaining("truncated");
        Files.write(file, Arrays.copyOf(bytes, bytes.length + 1));
        assertThatThrownBy(() -> KvDumpReader.read(file)).isInstanceOf(InvalidKvDumpException.class).hasMessageContaining("trailing bytes");
    }

    @Test
    void rejectsBadMagicAndAbsurdGeometry() throws IOException {
        Path file = dir.resolve("kv.dump");
        KvDumpWriter.write(file, SyntheticKv.generate(1, 1, 4, 3, KvDType.FP16, 1));
        byte[] bytes = Files.readAllBytes(file);
        byte[] badMagic = bytes.clone();
        badMagic[0] = 'X';
        Files.write(file, badMagic);
        assertThatThrownBy(() -> KvDumpReader.read(file)).isInstanceOf(InvalidKvDumpException.class).hasMessageContaining("bad magic");
        byte[] hugeLayers = bytes.clone();
        int geometry = 10 + "synthetic".length();
        hugeLayers[geometry + 3] = 0x7F;
        Files.write(file, hugeLayers);
        assertThatThrownBy(() -> KvDumpReader.read(file)).isInstanceOf(InvalidKvDumpException.class)
                .hasMessageContaining("offset " + geometry).hasMessageContaining("layers");
    }

    @Test
    void theWriterRefusesToCloseAnIncompleteDump() throws IOException {
        KvDumpHeader header = new KvDumpHeader("m", 2, 1, 2, KvDType.FP16, 1);
        KvDumpWriter writer = new KvDumpWriter(dir.resolve("kv.dump"), header);
        writer.writeLayer(new byte[4], new byte[4]);
        assertThatThrownBy(writer::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("1 of 2 layers");
    }
}
