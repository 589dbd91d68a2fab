package io.heavykv.lossless;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The decode budget steers how many pages store mode releases, from the work those pages cost in a step. */
class ReleaseGovernorTest {
    private static final long STEP = 1_000_000;

    /** Releases pages until the governor refuses one or {@code wanted} are out; returns how many went. */
    private static int releaseUpTo(ReleaseGovernor governor, int wanted) {
        int n = 0;
        while (n < wanted && governor.mayRelease()) {
            governor.released();
            n++;
        }
        return n;
    }

    @Test
    void restoresOverTheBudgetShrinkTheNextStepsReleasesInProportion() {
        ReleaseGovernor governor = new ReleaseGovernor(0.05);
        governor.stepStarts(1);
        assertThat(releaseUpTo(governor, 40)).isEqualTo(40);
        governor.read(STEP / 5);
        governor.stepStarts(1 + STEP);
        // 20% of the step for 40 pages: a quarter of them fit in 5%.
        assertThat(releaseUpTo(governor, 40)).isEqualTo(10);
    }

    @Test
    void aBurstOfEncodingIsAveragedOverTheFollowingSteps() {
        ReleaseGovernor governor = new ReleaseGovernor(0.05);
        governor.stepStarts(1);
        releaseUpTo(governor, 40);
        governor.encoded(STEP / 10);
        governor.stepStarts(1 + STEP);
        assertThat(releaseUpTo(governor, 40)).isEqualTo(40);
    }

    @Test
    void encodingOverTheBudgetStepAfterStepShrinksTheReleasesLikeRestoring() {
        ReleaseGovernor governor = new ReleaseGovernor(0.05);
        int released = 0;
        for (int step = 0; step < 16; step++) {
            governor.stepStarts(1 + step * STEP);
            released = releaseUpTo(governor, 40);
            governor.encoded(STEP / 10);
        }
        assertThat(released).isLessThan(40);
    }

    @Test
    void wellUnderTheBudgetTheLimitGrowsBackAnEighthAStep() {
        ReleaseGovernor governor = new ReleaseGovernor(0.05);
        governor.stepStarts(1);
        releaseUpTo(governor, 16);
        governor.read(STEP / 10);
        governor.stepStarts(1 + STEP);
        assertThat(releaseUpTo(governor, 100)).isEqualTo(8);
        governor.stepStarts(1 + 2 * STEP);
        assertThat(releaseUpTo(governor, 100)).isEqualTo(9);
    }

    @Test
    void withoutABudgetNothingIsLimited() {
        ReleaseGovernor governor = new ReleaseGovernor(0);
        governor.stepStarts(1);
        releaseUpTo(governor, 10);
        governor.read(STEP);
        governor.encoded(STEP);
        governor.stepStarts(1 + STEP);
        assertThat(releaseUpTo(governor, 1000)).isEqualTo(1000);
    }
}
