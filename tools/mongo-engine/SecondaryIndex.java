import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A non-unique index, kept in memory (rebuilt from the documents when a database is opened):
 * a tree keyed by the first field's keys, then the second's, and so on, whose leaves hold
 * document positions. It answers "which documents may have these values in the leading fields"
 * ({@link #positions}); the engine filters the answer with the full query.
 *
 * <p>A document is filed under every combination of its keys (one per array element: multikey),
 * and under {@link IndexSelection#MISSING} for a field it lacks. A document the index cannot
 * judge (a value of another type, or too many combinations) is kept apart and offered as a
 * candidate for every query. It enforces nothing, so inserts never fail because of it.
 *
 * <p>The engine removes a document from each index given only the document; the collection
 * tells the index the position first ({@link #expectRemoval}), as it knows it from the _id index.
 */
final class SecondaryIndex<P> extends Index<P> {

    /** More combinations than this (arrays in several indexed fields) and a document is kept apart. */
    private static final int MAX_KEYS_PER_DOCUMENT = 1000;

    private final List<List<String>> paths = new ArrayList<>();
    private final boolean usable;
    private Node<P> root = new Node<>();
    private final Set<P> unjudged = new HashSet<>();
    private long entries;
    private P expectedRemoval;

    private static final class Node<P> {
        final Map<Object, Node<P>> children = new HashMap<>();
        final Set<P> positions = new HashSet<>();

        boolean isEmpty() {
            return children.isEmpty() && positions.isEmpty();
        }
    }

    /**
     * Declared sparse whatever the index says, as the stock engine's placeholder for a non-unique
     * index is ({@code EmptyIndex}): its options and description stay what they were. The index
     * itself holds every document, so a query never misses one.
     */
    SecondaryIndex(String name, List<IndexKey> keys) {
        super(name, keys, true);
        boolean plainPaths = true;
        for (IndexKey key : keys) {
            List<String> path = List.of(key.getKey().split("\\.", -1));
            // "a.0" may address an array element, which the keys above do not model
            plainPaths &= path.stream().noneMatch(part -> part.isEmpty() || part.chars().allMatch(Character::isDigit));
            paths.add(path);
        }
        this.usable = plainPaths;
    }

    /**
     * The values {@code query} requires in this index's leading fields, one list per field, as
     * far as each field has an equality or $in condition; empty when the index cannot serve it.
     */
    synchronized List<List<Object>> equalityPrefix(Document query) {
        List<List<Object>> prefix = new ArrayList<>();
        if (!usable) {
            return prefix;
        }
        for (IndexKey key : getKeys()) {
            List<Object> values = IndexSelection.requiredValues(query, key.getKey());
            if (values == null) {
                break;
            }
            List<Object> keys = new ArrayList<>();
            for (Object value : values) {
                keys.add(IndexSelection.key(value));
            }
            prefix.add(keys);
        }
        return prefix;
    }

    /** Every position filed under one of the given leading keys, plus the documents kept apart. */
    synchronized Set<P> positions(List<List<Object>> prefix) {
        Set<P> found = new LinkedHashSet<>(unjudged);
        collect(root, prefix, 0, found);
        return found;
    }

    private void collect(Node<P> node, List<List<Object>> prefix, int depth, Set<P> found) {
        if (depth < prefix.size()) {
            for (Object key : prefix.get(depth)) {
                Node<P> child = node.children.get(key);
                if (child != null) {
                    collect(child, prefix, depth + 1, found);
                }
            }
            return;
        }
        found.addAll(node.positions);
        for (Node<P> child : node.children.values()) {
            collect(child, prefix, depth, found);
        }
    }

    /** Called by the collection just before the engine removes the document at {@code position}. */
    synchronized void expectRemoval(P position) {
        expectedRemoval = position;
    }

    @Override
    public synchronized void add(Document document, P position, MongoCollection<P> collection) {
        apply(document, position, true);
    }

    @Override
    public synchronized P remove(Document document) {
        P position = expectedRemoval;
        expectedRemoval = null;
        if (position != null) {
            apply(document, position, false);
        }
        return position;
    }

    @Override
    public synchronized void updateInPlace(Document oldDocument, Document newDocument, P position,
                                           MongoCollection<P> collection) {
        apply(oldDocument, position, false);
        apply(newDocument, position, true);
    }

    private void apply(Document document, P position, boolean add) {
        if (!usable) {
            return;
        }
        List<List<Object>> keysPerField = new ArrayList<>();
        long combinations = 1;
        for (List<String> path : paths) {
            Set<Object> keys = IndexSelection.documentKeys(document, path);
            if (keys == null) {
                combinations = Long.MAX_VALUE;
                break;
            }
            combinations *= keys.size();
            if (combinations > MAX_KEYS_PER_DOCUMENT) {
                break;
            }
            keysPerField.add(new ArrayList<>(keys));
        }
        if (combinations > MAX_KEYS_PER_DOCUMENT) {
            if (add ? unjudged.add(position) : unjudged.remove(position)) {
                entries += add ? 1 : -1;
            }
            return;
        }
        file(root, keysPerField, 0, position, add);
    }

    private void file(Node<P> node, List<List<Object>> keysPerField, int depth, P position, boolean add) {
        if (depth == keysPerField.size()) {
            if (add ? node.positions.add(position) : node.positions.remove(position)) {
                entries += add ? 1 : -1;
            }
            return;
        }
        for (Object key : keysPerField.get(depth)) {
            Node<P> child = add ? node.children.computeIfAbsent(key, ignored -> new Node<>()) : node.children.get(key);
            if (child == null) {
                continue;
            }
            file(child, keysPerField, depth + 1, position, add);
            if (child.isEmpty()) {
                node.children.remove(key);
            }
        }
    }

    @Override
    public P getPosition(Document document) {
        return null; // the _id index knows it
    }

    @Override
    public void checkAdd(Document document, MongoCollection<P> collection) {
        // not unique: nothing to check
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<P> collection) {
        // not unique: nothing to check
    }

    @Override
    public boolean canHandle(Document query) {
        return false; // chosen by IndexSelection, never by the stock loop
    }

    @Override
    public Iterable<P> getPositions(Document query) {
        throw new UnsupportedOperationException("use IndexSelection");
    }

    @Override
    public synchronized long getCount() {
        return entries;
    }

    @Override
    public long getDataSize() {
        return 0;
    }

    @Override
    public synchronized void drop() {
        root = new Node<>();
        unjudged.clear();
        entries = 0;
    }
}
