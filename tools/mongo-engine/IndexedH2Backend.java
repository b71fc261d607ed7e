import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.util.List;
import java.util.stream.Stream;

/**
 * The H2 backend with non-unique indexes and index selection (README.md). Documents stay where
 * {@link H2Backend} keeps them (one MVMap per collection, keyed by _id, which is a document's
 * position and its natural order); the non-unique indexes live in memory and are rebuilt from the
 * documents when a database is opened.
 */
class IndexedH2Backend extends H2Backend {

    IndexedH2Backend(MVStore mvStore) {
        super(mvStore);
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        // called from H2Backend's constructor too, when only the superclass's fields are set
        return new Database(databaseName, getMvStore(), getCursorRegistry());
    }

    static final class Database extends H2Database {

        /** Where H2Database keeps a collection's documents and its metadata (it does not expose them). */
        private static final String DATA_PREFIX = "databases.";
        private static final String META_PREFIX = "meta.";

        /**
         * The store, for {@link #openOrCreateCollection}: H2Database keeps it private, and its
         * constructor opens the existing collections before this class's fields are set, so the
         * constructor passes it through a thread-local until then.
         */
        private static final ThreadLocal<MVStore> OPENING = new ThreadLocal<>();
        private MVStore store;

        Database(String databaseName, MVStore mvStore, CursorRegistry cursorRegistry) {
            super(databaseName, opening(mvStore), cursorRegistry);
            store = mvStore;
            OPENING.remove();
        }

        private static MVStore opening(MVStore mvStore) {
            OPENING.set(mvStore);
            return mvStore;
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            MVStore mvStore = store != null ? store : OPENING.get();
            String fullName = getFullCollectionNamespace(collectionName);
            MVMap<Object, Document> dataMap = mvStore.openMap(DATA_PREFIX + fullName);
            MVMap<String, Object> metaMap = mvStore.openMap(META_PREFIX + fullName);
            return new Collection(this, collectionName, options, dataMap, metaMap, cursorRegistry);
        }

        @Override
        public Document handleCommand(Channel channel, String command, Document query,
                                      DatabaseResolver databaseResolver, Oplog oplog) {
            return AggregationSource.aggregating(this, command, query,
                () -> super.handleCommand(channel, command, query, databaseResolver, oplog));
        }

        @Override
        protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName,
                                                           List<IndexKey> keys, boolean sparse) {
            return new SecondaryIndex<>(indexName, keys);
        }
    }

    static final class Collection extends H2Collection {

        private final MVMap<Object, Document> dataMap;

        Collection(MongoDatabase database, String collectionName, CollectionOptions options,
                   MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursorRegistry) {
            super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
            this.dataMap = dataMap;
        }

        @Override
        protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit,
                                             int batchSize, Document fieldSelector) {
            List<Object> positions = isNaturalDescending(orderBy)
                ? null
                : IndexSelection.candidates(query, getIndexes(), dataMap.getKeyType()::compare);
            if (positions == null) {
                return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
            }
            return matchDocuments(query, positions, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }

        @Override
        public Stream<Document> queryAllAsStream() {
            return AggregationSource.source(this);
        }

        @Override
        public synchronized void removeDocument(Document document) {
            Removal.announce(document, getIndexes(), this::findDocumentPosition);
            super.removeDocument(document);
        }
    }
}
