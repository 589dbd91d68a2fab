package io.heavykv.lossless;

import io.heavykv.codec.BlockShape;
import io.heavykv.codec.ContextModel;
import io.heavykv.codec.ContextModelTrainer;
import io.heavykv.codec.ZstdDictionary;
import io.heavykv.kvcache.KvDType;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class DictionariesTest {
    @Test
    void bytesCountEverySnapshotsTablesTheTrainersAndZstdDictionaries() {
        BlockShape shape = new BlockShape(KvDType.FP16, 16, 8);
        byte[] block = new byte[shape.rawBytes()];
        new SplittableRandom(3).nextBytes(block);
        Dictionaries dictionaries = new Dictionaries();
        assertThat(dictionaries.bytes()).isZero();

        ContextModelTrainer trainer = new ContextModelTrainer(shape.channels());
        dictionaries.registerTrainer(trainer);
        trainer.add(shape, block, 0);
        ContextModel first = trainer.snapshot(dictionaries.nextId());
        dictionaries.register(first);
        trainer.add(shape, block, 0);
        ContextModel second = trainer.snapshot(dictionaries.nextId());
        dictionaries.register(second);
        ZstdDictionary zstd = new ZstdDictionary(dictionaries.nextId(), new byte[100]);
        dictionaries.register(zstd);

        // An old snapshot still counts: a frame may name it until the runtime closes.
        assertThat(dictionaries.bytes()).isEqualTo(first.tableBytes() + second.tableBytes() + trainer.bytes() + 100);
        assertThat(trainer.bytes()).isGreaterThan((long) shape.rawBytes());
        dictionaries.closeAll();
        assertThat(dictionaries.bytes()).isZero();
    }
}
