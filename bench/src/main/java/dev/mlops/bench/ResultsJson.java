package dev.mlops.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.common.json.Json;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The figures as JSON, for comparing runs: every figure with its unit, reference, ratio, target and verdict. */
public final class ResultsJson {

    private ResultsJson() {
    }

    public static ObjectNode of(Map<String, Object> context, List<Figure> figures, Map<String, String> skipped) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.set("context", Json.mapper().valueToTree(context));
        ArrayNode list = root.putArray("figures");
        for (Figure f : figures) {
            ObjectNode node = list.addObject();
            node.put("section", f.section());
            node.put("name", f.name());
            node.put("value", f.value());
            node.put("unit", f.unit());
            if (f.reference() != null) {
                node.put("reference", f.reference());
            }
            if (f.ratio() != null) {
                node.put("ratio", f.ratio());
            }
            if (f.target() != null) {
                node.put("target", f.target().text());
                node.put("targetOn", f.targetOn().name().toLowerCase(Locale.ROOT));
            }
            Boolean met = f.met();
            if (met != null) {
                node.put("met", met);
            }
            node.put("note", f.note());
        }
        root.set("skipped", Json.mapper().valueToTree(skipped));
        return root;
    }
}
