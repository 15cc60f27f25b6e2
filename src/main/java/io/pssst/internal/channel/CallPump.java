package io.pssst.internal.channel;

import io.pssst.internal.channel.DatagramIo.Datagram;
import java.io.IOException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The thread that reads a blocking client channel's replies while calls are outstanding, so
 * that a {@code call}'s own thread does no I/O (interrupting a thread in the channel's I/O
 * would close the channel). One daemon thread per channel at most, started on demand; it
 * takes the receive lock in short slices, so a caller's receive is never starved, and lingers
 * briefly when idle so that a sequence of calls reuses it.
 */
public final class CallPump {
    private static final long SLICE_MILLIS = 100;
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final DatagramChannel channel;
    private final ReentrantLock rxLock;
    private final RequestTable table;
    private final DatagramIo io;
    private final ReplyIntake intake;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Thread thread;

    /** {@code channel}: the client channel, whose mode and state the pump follows. */
    public CallPump(DatagramChannel channel, ReentrantLock rxLock, RequestTable table, DatagramIo io,
            ReplyIntake intake) {
        this.channel = channel;
        this.rxLock = rxLock;
        this.table = table;
        this.io = io;
        this.intake = intake;
    }

    /** Starts the pump if calls wait for replies on a blocking channel, or wakes it. */
    public void ensureRunning() {
        if (!channel.isOpen() || !channel.isBlocking() || table.calls() == 0) {
            return;
        }
        if (running.compareAndSet(false, true)) {
            Thread t = new Thread(this::run, "pssst-call-pump");
            t.setDaemon(true);
            thread = t;
            t.start();
        } else {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        long idleSince = 0;
        try {
            while (channel.isOpen() && channel.isBlocking()) {
                if (table.calls() == 0) {
                    long now = System.nanoTime();
                    if (idleSince == 0) {
                        idleSince = now;
                    } else if (now - idleSince > LINGER_NANOS) {
                        break;
                    }
                    LockSupport.parkNanos(this, LINGER_NANOS / 10);
                    continue;
                }
                idleSince = 0;
                if (!rxLock.tryLock(SLICE_MILLIS, TimeUnit.MILLISECONDS)) {
                    continue; // another thread is receiving; it dispatches call replies too
                }
                try {
                    Datagram d = io.read(SLICE_MILLIS);
                    if (d != null) {
                        intake.pump(d);
                    }
                } catch (IllegalBlockingModeException e) {
                    break; // switched to non-blocking: the event loop reads replies now
                } catch (IOException e) {
                    if (!channel.isOpen()) {
                        break;
                    }
                    // e.g. PortUnreachableException on a connected socket: the timers carry on
                    io.log().failed(ChannelLog.Failure.RECEIVE, e);
                } finally {
                    rxLock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running.set(false);
        }
        ensureRunning(); // a call may have arrived as the pump was leaving
    }
}
