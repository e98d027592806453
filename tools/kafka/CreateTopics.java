// Creates the project's topics in one JVM start (TopicCommand would need one start per topic).
// Usage: java -cp '<kafka libs>/*' CreateTopics.java <bootstrap> <default partitions> <topic[:partitions[:k=v,k=v]]>...
// Safe to run on every start: existing topics are kept; one with fewer partitions than wanted grows; one
// whose configs (e.g. retention.ms) differ from the wanted ones gets them set.
import java.util.*;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

public class CreateTopics {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    int partitions = Integer.parseInt(args[1]);
    try (Admin admin = Admin.create(props)) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = new ArrayList<>();
      Map<String, Integer> wanted = new LinkedHashMap<>();
      Map<String, Map<String, String>> configs = new HashMap<>();
      for (String spec : Arrays.copyOfRange(args, 2, args.length)) {
        String[] parts = spec.split(":");
        wanted.put(parts[0], parts.length > 1 ? Integer.parseInt(parts[1]) : partitions);
        Map<String, String> c = new LinkedHashMap<>();
        if (parts.length > 2) for (String kv : parts[2].split(",")) { String[] p = kv.split("=", 2); c.put(p[0], p[1]); }
        configs.put(parts[0], c);
      }
      // Configs of existing topics that differ from the wanted ones are set (e.g. retention on a dev broker made earlier).
      Map<ConfigResource, Collection<AlterConfigOp>> alter = new HashMap<>();
      List<ConfigResource> resources = wanted.keySet().stream().filter(t -> existing.contains(t) && !configs.get(t).isEmpty())
          .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
      if (!resources.isEmpty()) {
        var current = admin.describeConfigs(resources).all().get();
        for (var r : resources) {
          List<AlterConfigOp> ops = new ArrayList<>();
          for (var kv : configs.get(r.name()).entrySet()) {
            var entry = current.get(r).get(kv.getKey());
            if (entry == null || !kv.getValue().equals(entry.value())) ops.add(new AlterConfigOp(new ConfigEntry(kv.getKey(), kv.getValue()), AlterConfigOp.OpType.SET));
          }
          if (!ops.isEmpty()) alter.put(r, ops);
        }
        if (!alter.isEmpty()) { admin.incrementalAlterConfigs(alter).all().get(); System.out.println("topics: configured " + alter.keySet().stream().map(ConfigResource::name).toList()); }
      }
      Map<String, NewPartitions> grow = new HashMap<>();
      var described = admin.describeTopics(wanted.keySet().stream().filter(existing::contains).toList()).allTopicNames().get();
      for (var e : wanted.entrySet()) {
        if (!existing.contains(e.getKey())) missing.add(new NewTopic(e.getKey(), e.getValue(), (short) 1).configs(configs.get(e.getKey())));
        else if (described.get(e.getKey()).partitions().size() < e.getValue()) grow.put(e.getKey(), NewPartitions.increaseTo(e.getValue()));
      }
      if (!grow.isEmpty()) { admin.createPartitions(grow).all().get(); System.out.println("topics: grew " + grow.keySet()); }
      if (missing.isEmpty()) { System.out.println("topics: all " + wanted.size() + " present"); return; }
      for (var entry : admin.createTopics(missing).values().entrySet()) {
        try { entry.getValue().get(); System.out.println("topics: created " + entry.getKey()); }
        catch (ExecutionException e) { if (!(e.getCause() instanceof TopicExistsException)) throw e; }
      }
    }
  }
}
