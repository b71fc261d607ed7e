import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.bson.Document;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Lets an aggregation that starts with {@code $match} (the driver's {@code countDocuments}, for
 * one) read its documents through the query path, where {@link IndexSelection} can narrow them,
 * instead of a scan of the whole collection.
 *
 * <p>The stock engine feeds every pipeline with {@code collection.queryAllAsStream()}, then applies
 * the stages. Our databases note the first {@code $match} of an {@code aggregate} command
 * ({@link #aggregating}) for the time the command runs; our collections' {@code queryAllAsStream}
 * then answers with the documents that match it ({@link #source}), in the same natural order.
 * The {@code $match} stage filters them again and finds nothing to remove, so the result is the
 * same.
 */
final class AggregationSource {

    private static final class Pending {
        final MongoDatabase database;
        final String collectionName;
        final Document match;

        Pending(MongoDatabase database, String collectionName, Document match) {
            this.database = database;
            this.collectionName = collectionName;
            this.match = match;
        }
    }

    private static final ThreadLocal<Pending> PENDING = new ThreadLocal<>();

    private AggregationSource() {
    }

    /** Runs {@code command} with the first {@code $match} of an {@code aggregate} noted, if any. */
    static <T> T aggregating(MongoDatabase database, String command, Document query, Supplier<T> run) {
        Document match = firstMatch(command, query);
        if (match == null) {
            return run.get();
        }
        PENDING.set(new Pending(database, query.get(command).toString(), match));
        try {
            return run.get();
        } finally {
            PENDING.remove();
        }
    }

    private static Document firstMatch(String command, Document query) {
        if (!"aggregate".equalsIgnoreCase(command) || !(query.get(command) instanceof String)
            || !(query.get("pipeline") instanceof List)) {
            return null;
        }
        List<?> pipeline = (List<?>) query.get("pipeline");
        if (pipeline.isEmpty() || !(pipeline.get(0) instanceof Document)) {
            return null;
        }
        Document first = (Document) pipeline.get(0);
        if (first.size() != 1 || !(first.get("$match") instanceof Document)) {
            return null;
        }
        return (Document) first.get("$match");
    }

    /**
     * The documents an aggregation of {@code collection} starts from: those matching its first
     * {@code $match} when one is noted for this collection (once: the pipeline reads its source
     * once), else all of them, as the stock engine does.
     */
    static Stream<Document> source(MongoCollection<?> collection) {
        Pending pending = PENDING.get();
        Document query = new Document();
        if (pending != null && pending.database == collection.getDatabase()
            && pending.collectionName.equals(collection.getCollectionName())) {
            PENDING.remove();
            query = pending.match;
        }
        return StreamSupport.stream(collection.handleQuery(query).spliterator(), false);
    }
}
