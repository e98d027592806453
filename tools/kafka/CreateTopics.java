// Creates the project's topics in one JVM start (TopicCommand would need one start per topic).
// Usage: java -cp '<kafka libs>/*' CreateTopics.java <bootstrap> <partitions> <topic>...
// Existing topics are left as they are, so this is safe to run on every start.
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
      for (String topic : Arrays.copyOfRange(args, 2, args.length)) {
        if (!existing.contains(topic)) missing.add(new NewTopic(topic, partitions, (short) 1));
      }
      if (missing.isEmpty()) { System.out.println("topics: all " + (args.length - 2) + " present"); return; }
      for (var entry : admin.createTopics(missing).values().entrySet()) {
        try { entry.getValue().get(); System.out.println("topics: created " + entry.getKey()); }
        catch (ExecutionException e) { if (!(e.getCause() instanceof TopicExistsException)) throw e; }
      }
    }
  }
}
