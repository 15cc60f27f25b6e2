package io.pssst.internal.channel;

import io.pssst.internal.channel.MBeanReadings.Kind;
import io.pssst.internal.channel.MBeanReadings.Reading;
import java.util.Map;
import java.util.function.Supplier;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.ImmutableDescriptor;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.ReflectionException;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenMBeanAttributeInfoSupport;
import javax.management.openmbean.OpenMBeanConstructorInfoSupport;
import javax.management.openmbean.OpenMBeanInfoSupport;
import javax.management.openmbean.OpenMBeanOperationInfoSupport;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;

/**
 * A channel's statistics as an MBean of the MXBean kind: read-only attributes of open types
 * only ({@code long}, {@code String}, and {@code Map<String, Long>} as the
 * {@code TabularData} an MXBean maps it to), so that any JMX client ({@code jconsole}, a
 * monitoring agent, {@code JMX.newMXBeanProxy} with an interface of its own) reads them
 * without PSSST's classes. Its attributes are whatever {@link MBeanReadings} its source
 * gives, read afresh for each request ({@code getAttributes} reads once for all the names
 * asked); their names and types are fixed by the first reading. Counters carry the descriptor
 * field {@code metricType=counter}, gauges {@code metricType=gauge}. No operations, no
 * notifications.
 */
public final class ChannelMBean implements DynamicMBean {
    private static final String MAP_TYPE = "java.util.Map<java.lang.String, java.lang.Long>";
    static final CompositeType ROW;
    static final TabularType TABLE;

    static {
        try {
            ROW = new CompositeType(MAP_TYPE, MAP_TYPE, new String[] {"key", "value"},
                    new String[] {"key", "value"}, new OpenType<?>[] {SimpleType.STRING, SimpleType.LONG});
            TABLE = new TabularType(MAP_TYPE, MAP_TYPE, ROW, new String[] {"key"});
        } catch (OpenDataException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Supplier<MBeanReadings> source;
    private final MBeanInfo info;

    /**
     * @param className the class the MBean describes (the channel's)
     * @param description what the MBean is
     * @param source a reading now; called by any JMX thread, so it must be thread-safe
     */
    public ChannelMBean(String className, String description, Supplier<MBeanReadings> source) {
        this.source = source;
        Map<String, Reading> first = source.get().all();
        OpenMBeanAttributeInfoSupport[] attributes = new OpenMBeanAttributeInfoSupport[first.size()];
        int i = 0;
        for (Map.Entry<String, Reading> e : first.entrySet()) {
            attributes[i++] = attribute(e.getKey(), e.getValue());
        }
        this.info = new OpenMBeanInfoSupport(className, description, attributes,
                new OpenMBeanConstructorInfoSupport[0], new OpenMBeanOperationInfoSupport[0],
                new MBeanNotificationInfo[0], new ImmutableDescriptor("immutableInfo=true"));
    }

    private static OpenMBeanAttributeInfoSupport attribute(String name, Reading r) {
        switch (r.kind()) {
            case COUNTER:
            case GAUGE:
                return new OpenMBeanAttributeInfoSupport(name, r.about(), SimpleType.LONG, true, false, false,
                        new ImmutableDescriptor("metricType=" + (r.kind() == Kind.COUNTER ? "counter" : "gauge")));
            case TEXT:
                return new OpenMBeanAttributeInfoSupport(name, r.about(), SimpleType.STRING, true, false, false);
            case TABLE:
            default:
                return new OpenMBeanAttributeInfoSupport(name, r.about(), TABLE, true, false, false);
        }
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        Reading r = attribute == null ? null : source.get().all().get(attribute);
        if (r == null) {
            throw new AttributeNotFoundException("no attribute " + attribute);
        }
        return open(r);
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        Map<String, Reading> now = source.get().all();
        AttributeList list = new AttributeList();
        for (String name : attributes) {
            Reading r = now.get(name);
            if (r != null) { // as DynamicMBean says: an attribute that cannot be read is left out
                list.add(new Attribute(name, open(r)));
            }
        }
        return list;
    }

    /** The reading as its open type's value: a {@code Long}, a {@code String}, or {@code TabularData}. */
    private static Object open(Reading r) {
        if (r.kind() != Kind.TABLE) {
            return r.value();
        }
        @SuppressWarnings("unchecked")
        Map<String, Long> rows = (Map<String, Long>) r.value();
        TabularDataSupport t = new TabularDataSupport(TABLE, Math.max(16, rows.size() * 2), 0.75f);
        try {
            for (Map.Entry<String, Long> e : rows.entrySet()) {
                t.put(new CompositeDataSupport(ROW, new String[] {"key", "value"}, new Object[] {e.getKey(), e.getValue()}));
            }
        } catch (OpenDataException e) {
            throw new IllegalStateException("a table row does not fit its own type", e); // String and Long: cannot happen
        }
        return t;
    }

    /** Every attribute is read-only. */
    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException("the attributes of a PSSST channel are read-only: " + attribute.getName());
    }

    /** Every attribute is read-only: sets none. */
    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    /** There are no operations. */
    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) throws ReflectionException {
        throw new ReflectionException(new NoSuchMethodException(actionName), "a PSSST channel's MBean has no operations");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return info;
    }
}
