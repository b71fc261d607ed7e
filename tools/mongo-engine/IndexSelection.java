import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses the index that answers a query, for the indexed backends (see README.md).
 *
 * <p>The stock engine uses an index only when the query's fields are exactly that index's fields.
 * Here the _id index also serves a query that has more fields, when its _id condition is an
 * equality ({@code v}, {@code {$eq: v}}) or an {@code {$in: [...]}} of plain scalars; failing
 * that, a non-unique index whose first field has such a condition. The index yields a superset of the matching documents; the engine then filters them
 * with the full query, exactly as it filters a collection scan, so the answer is the same.
 *
 * <p>Only scalars whose equality is unambiguous are looked up: strings, booleans, ObjectIds,
 * dates and int/long/double numbers (compared as doubles, so 1, 1L and 1.0 share a key). A
 * condition on anything else (null, documents, arrays, regular expressions, decimals, ...) does
 * not constrain the lookup; if no index is left the query is a scan, as before.
 */
final class IndexSelection {

    /** The key of a document that has no scalar at an indexed path: no query value equals it. */
    static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "MISSING";
        }
    };

    static final String ID_INDEX = "_id_";

    private IndexSelection() {
    }

    /**
     * Positions of the documents that may match {@code query}, in the collection's natural order,
     * or null when no index can narrow it down (the caller scans, as the stock engine does).
     * Also null when a stock index can handle the query itself: then the stock path runs
     * unchanged.
     */
    static <P> List<P> candidates(Document query, List<Index<P>> indexes, Comparator<? super P> naturalOrder) {
        for (Index<P> index : indexes) {
            if (index.canHandle(query)) {
                return null;
            }
        }
        Set<P> positions = fromIdIndex(query, indexes);
        if (positions == null) {
            positions = fromSecondaryIndex(query, indexes);
        }
        if (positions == null) {
            return null;
        }
        List<P> ordered = new ArrayList<>(positions);
        ordered.sort(naturalOrder);
        return ordered;
    }

    private static <P> Set<P> fromIdIndex(Document query, List<Index<P>> indexes) {
        Index<P> idIndex = idIndex(indexes);
        List<Object> values = requiredValues(query, "_id");
        if (idIndex == null || values == null) {
            return null;
        }
        Set<P> positions = new LinkedHashSet<>();
        for (Object value : values) {
            for (P position : idIndex.getPositions(new Document("_id", value))) {
                positions.add(position);
            }
        }
        return positions;
    }

    /** The first secondary index whose first field the query requires by equality or $in. */
    private static <P> Set<P> fromSecondaryIndex(Document query, List<Index<P>> indexes) {
        for (Index<P> index : indexes) {
            if (index instanceof SecondaryIndex) {
                SecondaryIndex<P> secondary = (SecondaryIndex<P>) index;
                List<Object> keys = secondary.requiredKeys(query);
                if (keys != null) {
                    return secondary.positions(keys);
                }
            }
        }
        return null;
    }

    static <P> Index<P> idIndex(List<Index<P>> indexes) {
        for (Index<P> index : indexes) {
            if (index.isUnique() && ID_INDEX.equals(index.getName())) {
                return index;
            }
        }
        return null;
    }

    /**
     * The scalar values {@code query} requires at {@code field} (one for an equality, each of an
     * {@code $in}), or null when its condition there, if any, cannot be looked up in an index.
     */
    static List<Object> requiredValues(Document query, String field) {
        if (!query.containsKey(field)) {
            return null;
        }
        Object condition = query.get(field);
        if (key(condition) != null) {
            return List.of(condition);
        }
        if (!(condition instanceof Document)) {
            return null;
        }
        Document operators = (Document) condition;
        // One operator only: the engine does not always require every operator of a condition
        // to hold at once on an array (stock: {"n.x": {$in: [], $nin: []}} matches {n: []})
        if (operators.size() != 1) {
            return null;
        }
        if (operators.containsKey("$eq") && key(operators.get("$eq")) != null) {
            return List.of(operators.get("$eq"));
        }
        if (operators.get("$in") instanceof Collection) {
            List<Object> values = new ArrayList<>((Collection<?>) operators.get("$in"));
            return values.stream().allMatch(value -> key(value) != null) ? values : null;
        }
        return null;
    }

    /**
     * The index key of a scalar whose equality the index can judge exactly, or null. Numbers
     * become doubles (-0.0 as 0.0), as the engine compares them by value.
     */
    static Object key(Object value) {
        if (value instanceof String || value instanceof Boolean || value instanceof ObjectId
            || value instanceof Instant) {
            return value;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Double) {
            double number = ((Number) value).doubleValue();
            return number == 0.0 ? 0.0 : number;
        }
        return null;
    }

    /**
     * Every key a document has at {@code path}: each scalar reachable along it, through arrays
     * at any depth (a superset of what the query matcher compares), or {@link #MISSING} when
     * there is none. Null when a value there has a type {@link #key} does not judge: the index
     * then offers the document as a candidate for every query.
     */
    static Set<Object> documentKeys(Document document, List<String> path) {
        Set<Object> keys = new LinkedHashSet<>();
        if (!collect(document, path, 0, keys)) {
            return null;
        }
        if (keys.isEmpty()) {
            keys.add(MISSING);
        }
        return keys;
    }

    private static boolean collect(Object value, List<String> path, int depth, Set<Object> keys) {
        if (value instanceof Collection) {
            for (Object element : (Collection<?>) value) {
                if (!collect(element, path, depth, keys)) {
                    return false;
                }
            }
            return true;
        }
        if (depth == path.size()) {
            if (value == null || value instanceof Missing || value instanceof Map) {
                return true; // equal to no scalar
            }
            Object key = key(value);
            if (key == null) {
                return false;
            }
            keys.add(key);
            return true;
        }
        if (value instanceof Map) {
            Map<?, ?> map = (Map<?, ?>) value;
            if (map.containsKey(path.get(depth))) {
                return collect(map.get(path.get(depth)), path, depth + 1, keys);
            }
        }
        return true;
    }
}
