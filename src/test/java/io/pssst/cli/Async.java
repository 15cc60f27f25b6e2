package io.pssst.cli;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs a task on its own daemon thread. The tests block on pipes and sockets, so they do not
 * use the common pool: on a 2-core machine it has one worker, and a blocked task would
 * starve the others.
 */
final class Async {
    private Async() {
    }

    static <T> CompletableFuture<T> supply(String name, Supplier<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(task.get());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return f;
    }

    static CompletableFuture<Void> run(String name, Runnable task) {
        return supply(name, () -> {
            task.run();
            return null;
        });
    }
}
