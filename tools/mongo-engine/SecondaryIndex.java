import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A non-unique index, kept in memory (rebuilt from the documents when a database is opened): the
 * positions of the documents by the keys of the index's FIRST field. It answers "which documents
 * may have one of these values in the first field" ({@link #positions}); the engine filters the
 * answer with the full query, which applies the other fields, ranges and the sort on those
 * candidates. Only the first field, to keep the index small: our indexes start with the field a
 * query names by equality (a craftsman, a client, a job), which already narrows a query to the
 * documents it is about.
 *
 * <p>A document is filed under each of its keys (one per array element: multikey), and under
 * {@link IndexSelection#MISSING} when it has none. A document the index cannot judge (a value of
 * another type) is kept apart and offered as a candidate for every query. It enforces nothing,
 * so inserts never fail because of it.
 *
 * <p>The engine removes a document from each index given only the document; the collection
 * tells the index the position first ({@link #expectRemoval}), as it knows it from the _id index.
 */
final class SecondaryIndex<P> extends Index<P> {

    private final List<String> path;
    private final boolean usable;
    /** Key → one position, or {@link Many} positions. */
    private final Map<Object, Object> buckets = new HashMap<>();
    private final Set<P> unjudged = new HashSet<>();
    private long entries;
    private P expectedRemoval;

    /** Several positions under one key (a class of its own: a position may be any object). */
    private static final class Many extends HashSet<Object> {
        private static final long serialVersionUID = 1L;
    }

    /**
     * Declared sparse whatever the index says, as the stock engine's placeholder for a non-unique
     * index is ({@code EmptyIndex}): its options and description stay what they were. The index
     * itself holds every document, so a query never misses one.
     */
    SecondaryIndex(String name, List<IndexKey> keys) {
        super(name, keys, true);
        this.path = List.of(keys.get(0).getKey().split("\\.", -1));
        // "a.0" may address an array element, which the keys above do not model
        this.usable = path.stream().noneMatch(part -> part.isEmpty() || part.chars().allMatch(Character::isDigit));
    }

    /** The first field's keys {@code query} requires (equality or $in), or null if it requires none. */
    List<Object> requiredKeys(Document query) {
        List<Object> values = usable ? IndexSelection.requiredValues(query, getKeys().get(0).getKey()) : null;
        if (values == null) {
            return null;
        }
        List<Object> keys = new ArrayList<>();
        for (Object value : values) {
            keys.add(IndexSelection.key(value));
        }
        return keys;
    }

    /** Every position filed under one of {@code keys}, plus the documents kept apart. */
    @SuppressWarnings("unchecked")
    synchronized Set<P> positions(List<Object> keys) {
        Set<P> found = new LinkedHashSet<>(unjudged);
        for (Object key : keys) {
            Object bucket = buckets.get(key);
            if (bucket instanceof Many) {
                found.addAll((Collection<P>) bucket);
            } else if (bucket != null) {
                found.add((P) bucket);
            }
        }
        return found;
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
        Set<Object> keys = IndexSelection.documentKeys(document, path);
        if (keys == null) {
            if (add ? unjudged.add(position) : unjudged.remove(position)) {
                entries += add ? 1 : -1;
            }
            return;
        }
        for (Object key : keys) {
            if (add ? file(key, position) : unfile(key, position)) {
                entries += add ? 1 : -1;
            }
        }
    }

    private boolean file(Object key, P position) {
        Object bucket = buckets.get(key);
        if (bucket == null) {
            buckets.put(key, position);
            return true;
        }
        if (bucket instanceof Many) {
            return ((Many) bucket).add(position);
        }
        if (bucket.equals(position)) {
            return false;
        }
        Many many = new Many();
        many.add(bucket);
        many.add(position);
        buckets.put(key, many);
        return true;
    }

    private boolean unfile(Object key, P position) {
        Object bucket = buckets.get(key);
        if (bucket instanceof Many) {
            Many many = (Many) bucket;
            boolean removed = many.remove(position);
            if (many.size() == 1) {
                buckets.put(key, many.iterator().next());
            }
            return removed;
        }
        if (bucket != null && bucket.equals(position)) {
            buckets.remove(key);
            return true;
        }
        return false;
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
        buckets.clear();
        unjudged.clear();
        entries = 0;
    }
}
