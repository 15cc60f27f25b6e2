package io.pssst.internal.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pooled intrusive list behind the request table and the reply contexts. */
class NodePoolTest {
    private static final class Item extends NodePool.Node<Item> {
        String value;

        Item(int number) {
            super(number);
        }

        @Override
        void clear() {
            value = null;
        }
    }

    private final NodePool<Item> pool = new NodePool<>(Item::new);
    private final NodePool.Chain<Item> chain = new NodePool.Chain<>();

    private static List<String> values(NodePool.Chain<Item> chain) {
        List<String> out = new ArrayList<>();
        for (Item i = chain.first(); i != null; i = i.next) {
            out.add(i.value);
        }
        return out;
    }

    private Item add(String value) {
        Item i = pool.take();
        i.value = value;
        chain.addLast(i);
        return i;
    }

    @Test
    void chain_keepsOrder_removesFromHeadMiddleAndTail() {
        Item a = add("a");
        Item b = add("b");
        Item c = add("c");
        Item d = add("d");
        assertEquals(List.of("a", "b", "c", "d"), values(chain));
        chain.remove(b);
        assertEquals(List.of("a", "c", "d"), values(chain));
        chain.remove(a);
        chain.remove(d);
        assertEquals(List.of("c"), values(chain));
        assertEquals(1, chain.size());
        chain.remove(c);
        assertNull(chain.first());
        assertEquals(0, chain.size());
        Item e = add("e");
        assertEquals(List.of("e"), values(chain), "a list emptied from both ends takes new nodes again");
        assertSame(e, chain.first());
    }

    @Test
    void pool_reusesNodes_newGenerationForEachUse() {
        Item a = add("a");
        long first = a.generation;
        assertTrue(a.holds(first));
        chain.remove(a);
        pool.give(a);
        assertFalse(a.holds(first), "a handle of the finished use no longer holds");
        assertNull(a.value, "cleared on return");
        Item again = pool.take();
        assertSame(a, again, "the free node is reused");
        assertTrue(again.holds(first + 1));
        assertFalse(again.holds(first));
        assertEquals(1, pool.created());
        Item other = pool.take();
        assertEquals(2, pool.created());
        assertSame(other, pool.get(other.number));
    }
}
