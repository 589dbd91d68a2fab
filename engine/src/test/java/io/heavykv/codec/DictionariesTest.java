package io.heavykv.codec;

import io.heavykv.kvcache.KvDType;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class DictionariesTest {
    @Test
    void modelsAreRetiredWhenNeitherInUseNorPinnedAndStopCounting() {
        BlockShape shape = new BlockShape(KvDType.FP16, 16, 8);
        byte[] block = new byte[shape.rawBytes()];
        new SplittableRandom(3).nextBytes(block);
        Dictionaries dictionaries = new Dictionaries();
        assertThat(dictionaries.bytes()).isZero();

        // Two streams' models, which share no table (a stream's snapshots share their bases: see GroupCountsTest).
        ContextModelTrainer other = new ContextModelTrainer(shape.channels());
        other.add(shape, block, 0);
        ContextModel first = other.snapshot(dictionaries.nextId());
        dictionaries.register(first);
        ContextModelTrainer trainer = new ContextModelTrainer(shape.channels());
        trainer.add(shape, block, 0);
        trainer.add(shape, block, 0);
        ContextModel second = trainer.snapshot(dictionaries.nextId());
        dictionaries.register(second);
        ZstdDictionary zstd = new ZstdDictionary(dictionaries.nextId(), new byte[100]);
        dictionaries.register(zstd);
        assertThat(dictionaries.bytes()).isEqualTo(first.tableBytes() + second.tableBytes() + 100);

        // Nothing in use: the models go, the zstd dictionary (never superseded) stays.
        dictionaries.retireModels(id -> id == second.id());
        assertThat(dictionaries.get(first.id())).isNull();
        assertThat(dictionaries.get(second.id())).isSameAs(second);
        assertThat(dictionaries.get(zstd.id())).isSameAs(zstd);
        assertThat(dictionaries.bytes()).isEqualTo(second.tableBytes() + 100);
        assertThat(dictionaries.issued()).isEqualTo(3);
        assertThat(dictionaries.nextId()).as("ids are never reused").isEqualTo(4);

        // A model named by a frame in flight stays until the frame arrives, however many encodes pinned it.
        ContextModel third = trainer.snapshot(dictionaries.nextId());
        dictionaries.register(third);
        dictionaries.pin(third.id());
        dictionaries.pin(third.id());
        dictionaries.pin(0);
        dictionaries.retireModels(id -> false);
        assertThat(dictionaries.get(third.id())).isSameAs(third);
        assertThat(dictionaries.get(second.id())).isNull();
        dictionaries.unpin(third.id());
        dictionaries.retireModels(id -> false);
        assertThat(dictionaries.get(third.id())).isSameAs(third);
        dictionaries.unpin(third.id());
        dictionaries.retireModels(id -> false);
        assertThat(dictionaries.get(third.id())).isNull();

        dictionaries.closeAll();
        assertThat(dictionaries.bytes()).isZero();
    }
}
