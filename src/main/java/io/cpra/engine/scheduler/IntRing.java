package io.cpra.engine.scheduler;

/** A FIFO of ints that grows when full (rarely: it is sized for the usual load up front). */
public final class IntRing {

    private int[] items;
    private int head;
    private int size;

    public IntRing(int initialCapacity) {
        items = new int[Integer.highestOneBit(Math.max(2, initialCapacity - 1)) << 1];
    }

    public void add(int value) {
        if (size == items.length) grow();
        items[(head + size) & (items.length - 1)] = value;
        size++;
    }

    public int peek() {
        return items[head];
    }

    public int poll() {
        int value = items[head];
        head = (head + 1) & (items.length - 1);
        size--;
        return value;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    private void grow() {
        int[] bigger = new int[items.length * 2];
        int firstPart = Math.min(size, items.length - head);
        System.arraycopy(items, head, bigger, 0, firstPart);
        System.arraycopy(items, 0, bigger, firstPart, size - firstPart);
        items = bigger;
        head = 0;
    }
}
