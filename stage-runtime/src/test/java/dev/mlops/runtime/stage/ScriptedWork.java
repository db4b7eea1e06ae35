package dev.mlops.runtime.stage;

import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageResult;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The stand-in stage's work: what a test scripted for the run, else a small result; counts the calls per run. */
@ApplicationScoped
public class ScriptedWork implements StageWork {

    private final Map<String, StageWork> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    void script(String runId, StageWork work) {
        scripts.put(runId, work);
    }

    int calls(String runId) {
        return calls.getOrDefault(runId, new AtomicInteger()).get();
    }

    @Override
    public StageResult run(StageEvent input, ProgressListener progress) throws Exception {
        calls.computeIfAbsent(input.runId(), r -> new AtomicInteger()).incrementAndGet();
        StageWork script = scripts.get(input.runId());
        if (script != null) {
            return script.run(input, progress);
        }
        return new StageResult(Map.of(), Map.of("inference_check", 1.0), Map.of("endpoint", "http://127.0.0.1:8090"));
    }
}
