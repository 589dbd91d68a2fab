package io.heavykv.tensor;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class VectorKernelsSumTest {
    /** The halving tree, written out in scalar code: lane i adds lane i ^ k for k = lanes/2, ..., 1. */
    private static float treeSum(float[] lanes) {
        float[] v = lanes.clone();
        for (int k = v.length / 2; k >= 1; k /= 2) {
            float[] next = new float[v.length];
            for (int i = 0; i < v.length; i++) next[i] = v[i] + v[i ^ k];
            v = next;
        }
        return v[0];
    }

    @Test
    void laneSumFollowsTheFixedTree() {
        var species = VectorKernels.F;
        Random random = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            float[] lanes = new float[species.length()];
            // Wide magnitude range, so a different order would round differently.
            for (int i = 0; i < lanes.length; i++) lanes[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(8)));
            assertThat(VectorKernels.sum(FloatVector.fromArray(species, lanes, 0))).isEqualTo(treeSum(lanes));
        }
    }
}
