// Creates the project's topics in one JVM start (TopicCommand would need one start per topic).
// Usage: java -cp '<kafka libs>/*' CreateTopics.java <bootstrap> <default partitions> <topic[:partitions]>...
// Safe to run on every start: existing topics are kept; one with fewer partitions than wanted grows.
import java.util.*;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.*;
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
      for (String spec : Arrays.copyOfRange(args, 2, args.length)) {
        String[] parts = spec.split(":");
        wanted.put(parts[0], parts.length > 1 ? Integer.parseInt(parts[1]) : partitions);
      }
      Map<String, NewPartitions> grow = new HashMap<>();
      var described = admin.describeTopics(wanted.keySet().stream().filter(existing::contains).toList()).allTopicNames().get();
      for (var e : wanted.entrySet()) {
        if (!existing.contains(e.getKey())) missing.add(new NewTopic(e.getKey(), e.getValue(), (short) 1));
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
