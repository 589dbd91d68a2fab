package io.heavykv.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian reads and writes on byte arrays; VarHandles compile to single unaligned loads and stores. */
final class LittleEndian {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private LittleEndian() {}

    static int getShort(byte[] a, int off) { return (short) SHORT.get(a, off) & 0xFFFF; }

    static void putShort(byte[] a, int off, int v) { SHORT.set(a, off, (short) v); }

    static int getInt(byte[] a, int off) { return (int) INT.get(a, off); }

    static void putInt(byte[] a, int off, int v) { INT.set(a, off, v); }
}
