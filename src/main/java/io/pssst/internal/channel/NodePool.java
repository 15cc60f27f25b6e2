package io.pssst.internal.channel;

import java.util.ArrayList;
import java.util.function.IntFunction;

/**
 * Reusable nodes and the intrusive, doubly linked lists they sit in while in use: the one
 * structure behind a client's outstanding requests and a server's reply contexts, so that
 * neither allocates per datagram. A node is numbered once (its index here, for tables that
 * refer to nodes by number) and counts its uses: {@link Node#holds(long)} tells a handle of a
 * past use from the current one.
 *
 * <p>Not thread-safe: the owner's lock guards the pool, its lists and its nodes. Nodes are
 * created on demand, so a large bound costs nothing until it is used.
 *
 * @param <N> the owner's node type
 */
final class NodePool<N extends NodePool.Node<N>> {

    /** A pooled node: its number, the generation of its current use, and its list links. */
    abstract static class Node<N extends Node<N>> {
        final int number;
        long generation;
        boolean inUse;
        N prev;
        N next;

        Node(int number) {
            this.number = number;
        }

        /** Whether this node is still in the use that began as {@code generation}. */
        final boolean holds(long generation) {
            return inUse && this.generation == generation;
        }

        /** Forgets what the owner stored in this node: it goes back to the pool. */
        abstract void clear();
    }

    /** A list of nodes in use, oldest first; a node is in at most one list. */
    static final class Chain<N extends Node<N>> {
        private N head;
        private N tail;
        private int size;

        N first() {
            return head;
        }

        int size() {
            return size;
        }

        void addLast(N n) {
            n.prev = tail;
            n.next = null;
            if (tail == null) {
                head = n;
            } else {
                tail.next = n;
            }
            tail = n;
            size++;
        }

        void remove(N n) {
            if (n.prev == null) {
                head = n.next;
            } else {
                n.prev.next = n.next;
            }
            if (n.next == null) {
                tail = n.prev;
            } else {
                n.next.prev = n.prev;
            }
            n.prev = null;
            n.next = null;
            size--;
        }
    }

    private final IntFunction<N> factory;
    private final ArrayList<N> nodes = new ArrayList<>();
    private N free; // a stack through next

    /** {@code factory} makes node number {@code n} when the pool has none free. */
    NodePool(IntFunction<N> factory) {
        this.factory = factory;
    }

    /** A free node, now in use (in no list yet). */
    N take() {
        N n = free;
        if (n != null) {
            free = n.next;
            n.next = null;
        } else {
            n = factory.apply(nodes.size());
            nodes.add(n);
        }
        n.inUse = true;
        return n;
    }

    /** Returns {@code n}, already out of its list, to the pool: it ends its current use. */
    void give(N n) {
        n.generation++;
        n.inUse = false;
        n.clear();
        n.prev = null;
        n.next = free;
        free = n;
    }

    /** The node numbered {@code number}. */
    N get(int number) {
        return nodes.get(number);
    }

    /** Nodes ever created: the pool's high-water mark. */
    int created() {
        return nodes.size();
    }
}
