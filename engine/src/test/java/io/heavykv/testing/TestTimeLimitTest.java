package io.heavykv.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.launcher.TestIdentifier;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TestTimeLimitTest {
    private final BlockingQueue<TestTimeLimit.Overrun> overruns = new LinkedBlockingQueue<>();
    private final TestTimeLimit limits = new TestTimeLimit(Duration.ofMillis(200), Duration.ofSeconds(60), overruns::add);

    @AfterEach
    void stopTheTimer() {
        limits.testPlanExecutionFinished(null);
    }

    @Test
    void aTestPastItsLimitIsNamedWithWhereItsThreadWas() throws Exception {
        TestIdentifier test = test("stuck scenario", Set.of());
        CountDownLatch release = new CountDownLatch(1);
        Thread stuck = new Thread(() -> {
            limits.executionStarted(test);
            waitInAMethodTheStackNames(release);
        });
        stuck.start();
        try {
            TestTimeLimit.Overrun overrun = overruns.poll(10, TimeUnit.SECONDS);
            assertThat(overrun).as("overrun reported").isNotNull();
            assertThat(overrun.message()).contains("stuck scenario");
            assertThat(Arrays.stream(overrun.stack()).map(StackTraceElement::getMethodName))
                    .contains("waitInAMethodTheStackNames");
            assertThat(overrun.trace()).contains("waitInAMethodTheStackNames");
        } finally {
            release.countDown();
            stuck.join();
        }
    }

    @Test
    void aTestFinishingInTimeIsNotReported() throws Exception {
        TestIdentifier test = test("quick scenario", Set.of());
        limits.executionStarted(test);
        limits.executionFinished(test, TestExecutionResult.successful());
        assertThat(overruns.poll(600, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aSlowTestGetsTheSlowLimit() throws Exception {
        TestIdentifier test = test("slow scenario", Set.of(TestTag.create("slow")));
        limits.executionStarted(test);
        assertThat(overruns.poll(600, TimeUnit.MILLISECONDS)).as("overrun within the ordinary limit").isNull();
        limits.executionFinished(test, TestExecutionResult.successful());
    }

    private static void waitInAMethodTheStackNames(CountDownLatch release) {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static TestIdentifier test(String name, Set<TestTag> tags) {
        UniqueId id = UniqueId.forEngine("fake").append("test", name);
        return TestIdentifier.from(new AbstractTestDescriptor(id, name) {
            @Override
            public Type getType() {
                return TestDescriptor.Type.TEST;
            }

            @Override
            public Set<TestTag> getTags() {
                return tags;
            }
        });
    }
}
