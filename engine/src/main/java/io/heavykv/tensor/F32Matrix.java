package io.heavykv.tensor;

import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;

import static io.heavykv.tensor.VectorKernels.F;
import static io.heavykv.tensor.VectorKernels.FLOAT_LE;
import static io.heavykv.tensor.VectorKernels.L;
import static io.heavykv.tensor.VectorKernels.LE;

final class F32Matrix extends MappedMatrix {
    F32Matrix(MemorySegment segment, int rows, int cols) {
        super(TensorType.F32, segment, rows, cols);
    }

    @Override
    MatmulInput input() { return MatmulInput.F32; }

    @Override
    float dotAt(long base, float[] x, int xOff) {
        MemorySegment seg = segment;
        int n = cols;
        // Four accumulators hide the FMA latency so the loop runs at load bandwidth.
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        int i = 0;
        for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
            long o = base + i * 4L;
            a0 = FloatVector.fromMemorySegment(F, seg, o, LE).fma(FloatVector.fromArray(F, x, xOff + i), a0);
            a1 = FloatVector.fromMemorySegment(F, seg, o + 4L * L, LE).fma(FloatVector.fromArray(F, x, xOff + i + L), a1);
            a2 = FloatVector.fromMemorySegment(F, seg, o + 8L * L, LE).fma(FloatVector.fromArray(F, x, xOff + i + 2 * L), a2);
            a3 = FloatVector.fromMemorySegment(F, seg, o + 12L * L, LE).fma(FloatVector.fromArray(F, x, xOff + i + 3 * L), a3);
        }
        for (int bound = n - L; i <= bound; i += L) {
            a0 = FloatVector.fromMemorySegment(F, seg, base + i * 4L, LE).fma(FloatVector.fromArray(F, x, xOff + i), a0);
        }
        float s = VectorKernels.sum(a0.add(a1).add(a2.add(a3)));
        for (; i < n; i++) s += seg.get(FLOAT_LE, base + i * 4L) * x[xOff + i];
        return s;
    }

    @Override
    void dequantizeAt(long base, float[] out, int outOff) {
        MemorySegment.copy(segment, FLOAT_LE, base, out, outOff, cols);
    }
}
