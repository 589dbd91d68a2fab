package io.heavykv.cli;

import io.heavykv.model.ModelLoader;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;

/**
 * Turns exceptions and errors into one clear line on stderr and exit code 1. Users get the message that
 * names the problem (a corrupt file, a context overflow, the memory that ran out); the stack trace only
 * with HEAVYKV_DEBUG set, because for bad input it is noise.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        return report(e, cli.getErr());
    }

    /** Prints {@code t} as one {@code heavykv:} line and returns the exit code 1. */
    static int report(Throwable t, PrintWriter err) {
        err.println("heavykv: " + message(t));
        if (System.getenv("HEAVYKV_DEBUG") != null) t.printStackTrace(err);
        err.flush();
        return 1;
    }

    /** What went wrong, for a person: the JVM's own messages for these name no file or remedy. */
    static String message(Throwable t) {
        Throwable error = firstError(t);
        if (error instanceof OutOfMemoryError) {
            return "out of memory (" + error.getMessage() + ", Java heap limit " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MB): ask for less, or raise the limit with HEAVYKV_JAVA_OPTS=-Xmx<size>";
        }
        if (error instanceof InternalError) {
            List<String> shrunk = ModelLoader.shrunkWhileMapped();
            if (!shrunk.isEmpty()) {
                return "model file changed while in use: " + String.join(", ", shrunk) + "; was it truncated or rewritten by another program?";
            }
            return "internal JVM error (" + error.getMessage() + ")";
        }
        if (error instanceof StackOverflowError) return "stack overflow (input nested too deeply?)";
        if (error != null) return error.getClass().getSimpleName() + ": " + error.getMessage();
        if (t instanceof UncheckedIOException u && u.getCause() instanceof FileSystemException f) return fileMessage(f);
        if (t instanceof FileSystemException f) return fileMessage(f);
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** The JDK's file exceptions say only the path ("/x") or the reason without the path ("Is a directory"). */
    private static String fileMessage(FileSystemException f) {
        String file = f.getFile();
        if (f instanceof NoSuchFileException) return (f.getReason() != null ? f.getReason() : "no such file") + ": " + file;
        if (f instanceof AccessDeniedException) return "permission denied: " + file;
        if (file == null) return f.getMessage();
        return file + ": " + (f.getReason() != null ? f.getReason() : f.getClass().getSimpleName());
    }

    /**
     * The Error behind {@code t}, looking through wrappers that add nothing (an ExecutionException from a worker
     * thread: no message of its own, or its cause's); an exception with a message of its own is the message.
     */
    private static Throwable firstError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof Error) return c;
            Throwable cause = c.getCause();
            if (cause == null || cause == c || (c.getMessage() != null && !c.getMessage().equals(cause.toString()))) return null;
        }
        return null;
    }
}
