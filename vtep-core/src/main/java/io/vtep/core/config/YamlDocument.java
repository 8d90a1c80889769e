package io.vtep.core.config;

import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Set;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Turns the text of a configuration file into plain maps, lists and scalars, refusing whatever a
 * configuration has no use for and an attacker or a slip of the keyboard could exploit, each with
 * a {@link ConfigException} that says where (a key path, or a line and column), never another
 * exception:
 * <ul>
 * <li>Tags naming Java classes ({@code !!javax.script.ScriptEngineManager}, the classic YAML
 * deserialization attack) or custom ones: only YAML's standard types are constructed
 * ({@link SafeConstructor}), and of those only what a configuration holds: strings, numbers,
 * booleans, null, lists and mappings.</li>
 * <li>Alias bombs ("billion laughs"): at most {@value #MAX_COLLECTION_ALIASES} aliases of a
 * list or mapping (aliases of scalars stay allowed).</li>
 * <li>A value that contains itself through an alias ({@code &a [*a]}), which SnakeYAML builds
 * as a cyclic structure: refused with the key path where the cycle closes (it would otherwise
 * recurse until the stack overflows).</li>
 * <li>Nesting deeper than {@value #MAX_NESTING} (a configuration needs five levels), and
 * documents longer than {@value #MAX_CODE_POINTS} characters (a configuration with thousands of
 * static FDB entries is a few hundred KB; parsing tens of MB takes seconds and the heap).</li>
 * <li>A key given twice in one mapping (YAML 1.2 §3.2.1.1 says keys are unique; SnakeYAML
 * would keep the last one): refused with its key path and line, which matters for VLAN ids.</li>
 * <li>More than one document in the file.</li>
 * </ul>
 */
final class YamlDocument
{
    /** Characters a configuration may have (also checked on the file's size before reading it). */
    static final int MAX_CODE_POINTS = 4 * 1024 * 1024;
    static final int MAX_NESTING = 50;
    static final int MAX_COLLECTION_ALIASES = 10;

    private YamlDocument()
    {
    }

    /** @return the document as maps, lists and scalars; null when it is empty. */
    static Object read(final String yamlText) throws ConfigException
    {
        if (yamlText.length() > MAX_CODE_POINTS)
        {
            throw tooLarge(yamlText.length());
        }
        try
        {
            final Node document = yaml().compose(new java.io.StringReader(yamlText));
            if (document == null)
            {
                return null;
            }
            refuseCyclesAndDuplicateKeys(document, "", Collections.newSetFromMap(new IdentityHashMap<>()));
            return yaml().load(yamlText);
        }
        catch (final ConfigException ex)
        {
            throw ex;
        }
        catch (final MarkedYAMLException ex)
        {
            throw new ConfigException("", "not valid YAML" + at(ex.getProblemMark()) + ": " + ex.getProblem());
        }
        catch (final YAMLException ex)
        {
            throw new ConfigException("", "not valid YAML: " + ex.getMessage());
        }
        catch (final RuntimeException ex)
        {
            // SnakeYAML's constructors let some bad scalars through unwrapped (found by
            // ConfigLoaderFuzzTest: !!binary with a character outside base64 threw
            // IllegalArgumentException); whatever else is left must not become a stack trace either.
            throw new ConfigException("", "not valid YAML: a value cannot be read: " + ex.getMessage());
        }
    }

    static ConfigException tooLarge(final long size)
    {
        return new ConfigException("", "the configuration is larger than " + MAX_CODE_POINTS / (1024 * 1024) +
            " MiB (" + size + "); it is not a configuration file");
    }

    private static Yaml yaml()
    {
        final LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_COLLECTION_ALIASES);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(MAX_NESTING);
        options.setCodePointLimit(MAX_CODE_POINTS);
        return new Yaml(new PlainConstructor(options));
    }

    /**
     * {@link SafeConstructor} without the standard types a configuration has no use for: binary,
     * timestamps, sets, ordered maps and pairs. A value tagged (or, for timestamps, looking like)
     * one of them is refused as an unknown tag, with its line and column.
     */
    private static final class PlainConstructor extends SafeConstructor
    {
        PlainConstructor(final LoaderOptions options)
        {
            super(options);
            for (final Tag unused : new Tag[] {Tag.BINARY, Tag.TIMESTAMP, Tag.SET, Tag.OMAP, Tag.PAIRS})
            {
                yamlConstructors.remove(unused);
            }
        }
    }

    private static String at(final Mark mark)
    {
        return mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    /**
     * Walks the node graph as the configuration will be read: a node met again on the way down
     * (an alias inside its own anchor) is a cycle; two equal keys in one mapping are a duplicate.
     *
     * @param above the nodes between the root and {@code node}, by identity
     */
    private static void refuseCyclesAndDuplicateKeys(final Node node, final String path, final Set<Node> above)
        throws ConfigException
    {
        if (!(node instanceof MappingNode) && !(node instanceof SequenceNode))
        {
            return;
        }
        if (!above.add(node))
        {
            throw new ConfigException(path, "contains itself through an alias (anchor at line " +
                (node.getStartMark().getLine() + 1) + "); a configuration is a tree");
        }
        if (node instanceof MappingNode mapping)
        {
            final Set<String> keys = new HashSet<>();
            for (final NodeTuple tuple : mapping.getValue())
            {
                final String key = tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : "?";
                final String childPath = path.isEmpty() ? key : path + "." + key;
                if (!keys.add(key))
                {
                    throw new ConfigException(childPath, "appears twice (line " +
                        (tuple.getKeyNode().getStartMark().getLine() + 1) + "); each key may be given once");
                }
                refuseCyclesAndDuplicateKeys(tuple.getKeyNode(), childPath, above);
                refuseCyclesAndDuplicateKeys(tuple.getValueNode(), childPath, above);
            }
        }
        else
        {
            final SequenceNode sequence = (SequenceNode)node;
            for (int i = 0; i < sequence.getValue().size(); i++)
            {
                refuseCyclesAndDuplicateKeys(sequence.getValue().get(i), path + "[" + i + "]", above);
            }
        }
        above.remove(node);
    }
}
