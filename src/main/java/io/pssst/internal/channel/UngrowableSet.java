package io.pssst.internal.channel;

import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.Set;

/**
 * A view of a set that allows removal but not addition: the selected-key set as
 * {@link java.nio.channels.Selector#selectedKeys()} specifies it. Not thread-safe; its
 * iterators are fail-fast like the backing set's.
 */
public final class UngrowableSet<E> extends AbstractSet<E> {
    private final Set<E> set;

    public UngrowableSet(Set<E> set) {
        this.set = set;
    }

    @Override
    public int size() {
        return set.size();
    }

    @Override
    public boolean isEmpty() {
        return set.isEmpty();
    }

    @Override
    public boolean contains(Object o) {
        return set.contains(o);
    }

    @Override
    public Iterator<E> iterator() {
        return set.iterator();
    }

    @Override
    public boolean remove(Object o) {
        return set.remove(o);
    }

    @Override
    public void clear() {
        set.clear();
    }

    /** Always refused: selection alone adds keys. */
    @Override
    public boolean add(E e) {
        throw new UnsupportedOperationException("the selected-key set cannot grow");
    }

    /** Always refused: selection alone adds keys. */
    @Override
    public boolean addAll(Collection<? extends E> c) {
        throw new UnsupportedOperationException("the selected-key set cannot grow");
    }
}
