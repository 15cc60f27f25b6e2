package io.pssst.internal.channel;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.management.DynamicMBean;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * A channel's MXBean in the platform MBean server: registered on request, under
 * {@code io.pssst:type=TYPE,name=NAME}, and unregistered when the channel closes. At most one
 * registration per channel, and never one left behind: registering and closing take one lock,
 * so a registration that races the close either comes first (and the close unregisters it) or
 * is refused with {@link ClosedChannelException}.
 *
 * <p><b>Names.</b> {@code NAME} is quoted as {@link ObjectName#quote} does when it holds a
 * character that an unquoted value cannot ({@code , = : " * ?} or a newline; an address always
 * holds {@code :}), and is left as it is otherwise. When the name is taken (two channels on one
 * address with {@code SO_REUSEPORT}, or given one name), the next free of
 * {@code ...,instance=2}, {@code 3}... is used: the first channel keeps the plain name, and the
 * pattern {@code io.pssst:type=TYPE,name=NAME,*} finds them all.
 */
public final class MXBeanRegistration {
    /** The domain of every PSSST MBean. */
    public static final String DOMAIN = "io.pssst";
    /** The most channels registered under one name (then registering fails). */
    static final int MAX_INSTANCES = 65_536;

    private final String type;
    private final Supplier<? extends DynamicMBean> bean;
    private final ReentrantLock lock = new ReentrantLock();
    private ObjectName registered;      // guarded by lock
    private boolean closed;             // guarded by lock

    /**
     * @param type the {@code type} key: {@code ServerChannel} or {@code ClientChannel}
     * @param bean makes the MBean, when it is first registered
     */
    public MXBeanRegistration(String type, Supplier<? extends DynamicMBean> bean) {
        this.type = type;
        this.bean = bean;
    }

    /**
     * Registers the MBean under {@code name} (or the first free instance of it).
     *
     * @return the name it is registered under
     * @throws ClosedChannelException if the channel closed (then nothing is registered)
     * @throws IllegalStateException if it is already registered, or cannot be
     * @throws IllegalArgumentException if {@code name} is empty
     */
    public ObjectName register(String name) throws ClosedChannelException {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("an MXBean name must not be empty");
        }
        ObjectName on;
        lock.lock();
        try {
            if (closed) {
                throw new ClosedChannelException();
            }
            if (registered != null) {
                throw new IllegalStateException("this channel's MXBean is already registered, as " + registered);
            }
            on = registerFirstFree(ManagementFactory.getPlatformMBeanServer(), name, bean.get());
            registered = on;
        } finally {
            lock.unlock();
        }
        ChannelLog.LOG.log(Level.DEBUG, () -> "registered the MXBean " + on);
        return on;
    }

    private ObjectName registerFirstFree(MBeanServer server, String name, DynamicMBean mbean) {
        for (int instance = 1; instance <= MAX_INSTANCES; instance++) {
            ObjectName on = objectName(type, name, instance);
            try {
                server.registerMBean(mbean, on);
                return on;
            } catch (InstanceAlreadyExistsException e) {
                // taken: try the next instance
            } catch (JMException e) {
                throw new IllegalStateException("cannot register the MXBean " + on + ": " + e, e);
            }
        }
        throw new IllegalStateException("cannot register the MXBean: " + MAX_INSTANCES + " channels are registered as "
                + objectName(type, name, 1));
    }

    /** {@code io.pssst:type=TYPE,name=NAME} and, from 2, {@code ,instance=N}. */
    static ObjectName objectName(String type, String name, int instance) {
        String s = DOMAIN + ":type=" + type + ",name=" + value(name) + (instance > 1 ? ",instance=" + instance : "");
        try {
            return new ObjectName(s);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException("not an ObjectName: " + s, e); // value() quotes what needs it
        }
    }

    /** {@code name} as a key property's value: quoted when an unquoted value could not hold it. */
    static String value(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (",=:\"*?\n".indexOf(name.charAt(i)) >= 0) {
                return ObjectName.quote(name);
            }
        }
        return name;
    }

    /**
     * An address as a name: {@code 127.0.0.1:7667}, {@code [::1]:7667}.
     *
     * @param local a bound address
     * @return the name
     */
    public static String nameOf(InetSocketAddress local) {
        InetAddress ip = local.getAddress();
        String host = ip != null ? ip.getHostAddress() : local.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + local.getPort();
    }

    /** Unregisters the MBean, if registered, and refuses any registration from now on. Idempotent. */
    public void close() {
        ObjectName name;
        lock.lock();
        try {
            closed = true;
            name = registered;
            registered = null;
            if (name != null) {
                unregister(name);
            }
        } finally {
            lock.unlock();
        }
    }

    private static void unregister(ObjectName name) {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            ChannelLog.LOG.log(Level.DEBUG, () -> "unregistered the MXBean " + name);
        } catch (InstanceNotFoundException e) {
            ChannelLog.LOG.log(Level.DEBUG, () -> "the MXBean " + name + " was already unregistered (through JMX)");
        } catch (JMException | RuntimeException e) {
            ChannelLog.LOG.log(Level.WARNING, () -> "could not unregister the MXBean " + name + " of a closed channel: " + e);
        }
    }
}
