package io.heavykv.testing;

import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.Status;
import io.qameta.allure.model.StatusDetails;
import io.qameta.allure.model.TestResult;
import io.qameta.allure.util.ResultsUtils;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestTag;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Ends a test run whose test outlived its time limit, after naming the test, saying where it was stuck and
 * recording it as broken in the Allure results. Cucumber scenarios and jqwik properties have no time limit of
 * their own, and a Jupiter test stuck in a loop that never checks for interruption cannot be stopped from
 * outside its thread: the only way out is to end the JVM, and without this the run would wait for Surefire's
 * fork timeout and end with no name for the culprit.
 *
 * <p>Registered for every module's tests through META-INF/services (the engine's test-jar carries it to
 * steps/ and properties/). Limits, in seconds, are the JUnit configuration parameters {@value #LIMIT} and,
 * for tests tagged {@code slow} (Gherkin {@code @slow}), {@value #SLOW_LIMIT}.
 */
public final class TestTimeLimit implements TestExecutionListener {
    static final String LIMIT = "heavykv.timeout.test";
    static final String SLOW_LIMIT = "heavykv.timeout.slow";
    /** The exit status timeout(1) uses, so a person reading Surefire's "VM crash" message can tell. */
    static final int EXIT_STATUS = 124;
    private static final TestTag SLOW = TestTag.create("slow");

    /** A test that outlived its limit, with what its thread was doing when the limit passed. */
    record Overrun(String name, String path, Duration limit, StackTraceElement[] stack) {
        String message() {
            return "time limit exceeded: " + path + " ran longer than " + limit.toSeconds() + " s";
        }

        String trace() {
            StringBuilder text = new StringBuilder(message()).append("; its thread was at:");
            for (StackTraceElement frame : stack) text.append("\n\tat ").append(frame);
            return text.toString();
        }
    }

    private final Consumer<Overrun> onOverrun;
    private final Map<String, ScheduledFuture<?>> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "heavykv-test-time-limit");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Duration limit;
    private volatile Duration slowLimit;
    private volatile TestPlan plan;

    public TestTimeLimit() {
        this(Duration.ofSeconds(300), Duration.ofSeconds(1800), TestTimeLimit::reportAndHalt);
    }

    TestTimeLimit(Duration limit, Duration slowLimit, Consumer<Overrun> onOverrun) {
        this.limit = limit;
        this.slowLimit = slowLimit;
        this.onOverrun = onOverrun;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
        testPlan.getConfigurationParameters().get(LIMIT, Long::parseLong).ifPresent(s -> limit = Duration.ofSeconds(s));
        testPlan.getConfigurationParameters().get(SLOW_LIMIT, Long::parseLong).ifPresent(s -> slowLimit = Duration.ofSeconds(s));
    }

    @Override
    public void executionStarted(TestIdentifier test) {
        if (!test.isTest()) return;
        Thread thread = Thread.currentThread();
        Duration allowed = test.getTags().contains(SLOW) ? slowLimit : limit;
        running.put(test.getUniqueId(), timer.schedule(
                () -> onOverrun.accept(new Overrun(test.getDisplayName(), path(test), allowed, thread.getStackTrace())),
                allowed.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        ScheduledFuture<?> deadline = running.remove(test.getUniqueId());
        if (deadline != null) deadline.cancel(false);
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        timer.shutdownNow();
    }

    /** The test's containers and its own name, outermost first, without the engine (for example "feature > scenario"). */
    private String path(TestIdentifier test) {
        List<String> names = new ArrayList<>(List.of(test.getDisplayName()));
        TestPlan current = plan;
        if (current != null) {
            for (Optional<TestIdentifier> parent = current.getParent(test);
                 parent.isPresent() && parent.get().getParentIdObject().isPresent(); parent = current.getParent(parent.get())) {
                names.addFirst(parent.get().getDisplayName());
            }
        }
        return String.join(" > ", names);
    }

    private static void reportAndHalt(Overrun overrun) {
        // Surefire reads the fork's System.err through a channel a halt may cut; the process's own stderr is kept.
        PrintStream stderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        stderr.println("heavykv: " + overrun.message() + "; stopping the test JVM.");
        stderr.println(overrun.trace());
        writeBrokenResult(overrun);
        Runtime.getRuntime().halt(EXIT_STATUS);
    }

    /** The result the test's own reporter can no longer write, so the report names the test that hung. */
    private static void writeBrokenResult(Overrun overrun) {
        AllureLifecycle lifecycle = Allure.getLifecycle();
        String uuid = UUID.randomUUID().toString();
        List<Label> labels = new ArrayList<>(ResultsUtils.getProvidedLabels());
        labels.add(ResultsUtils.createSuiteLabel(overrun.path().contains(" > ")
                ? overrun.path().substring(0, overrun.path().lastIndexOf(" > ")) : overrun.path()));
        long now = System.currentTimeMillis();
        lifecycle.scheduleTestCase(new TestResult().setUuid(uuid).setName(overrun.name()).setFullName(overrun.path())
                .setLabels(labels).setStatus(Status.BROKEN)
                .setStatusDetails(new StatusDetails().setMessage(overrun.message()).setTrace(overrun.trace()))
                .setStart(now - overrun.limit().toMillis()).setStop(now));
        lifecycle.writeTestCase(uuid);
    }
}
