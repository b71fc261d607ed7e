import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.bson.Document;

import java.util.List;
import java.util.function.Function;

/**
 * The engine removes a document from each of a collection's indexes in turn, the _id index
 * first, and each index must answer the document's position. A {@link SecondaryIndex} cannot
 * find it from the document alone, so the collection looks it up in the _id index beforehand.
 */
final class Removal {

    private Removal() {
    }

    /** {@code find} locates the document when the collection has no _id index (a scan). */
    static <P> void announce(Document document, List<Index<P>> indexes, Function<Document, P> find) {
        Index<P> idIndex = IndexSelection.idIndex(indexes);
        P position = idIndex == null ? find.apply(document) : idIndex.getPosition(document);
        for (Index<P> index : indexes) {
            if (index instanceof SecondaryIndex) {
                ((SecondaryIndex<P>) index).expectRemoval(position);
            }
        }
    }
}
