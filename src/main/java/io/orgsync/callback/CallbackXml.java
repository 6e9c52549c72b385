package io.orgsync.callback;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * WeCom's flat {@code <xml><Field><![CDATA[value]]></Field>...</xml>} documents as field maps.
 * No DTD, no external entity, no nesting: a callback body is attacker-controlled until its
 * signature is checked, and XXE or entity expansion must not even be parsed.
 */
final class CallbackXml {
    private static final DocumentBuilderFactory FACTORY = factory();

    private CallbackXml() {}

    /**
     * The root's child elements by name, in document order.
     *
     * @throws CallbackRejected when it is not such a document
     */
    static Map<String, String> fields(String xml) {
        Document doc;
        try {
            DocumentBuilder builder;
            synchronized (FACTORY) {
                builder = FACTORY.newDocumentBuilder();
            }
            builder.setErrorHandler(null);
            doc = builder.parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw new CallbackRejected("the body is not WeCom's callback XML (<xml><Encrypt>...</Encrypt>...</xml>)");
        }
        Element root = doc.getDocumentElement();
        if (!"xml".equals(root.getTagName())) {
            throw new CallbackRejected("the XML's root element must be <xml>");
        }
        Map<String, String> out = new LinkedHashMap<>();
        NodeList children = root.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node n = children.item(i);
            if (n instanceof Element e) {
                if (out.put(e.getTagName(), e.getTextContent()) != null) {
                    throw new CallbackRejected("the XML repeats the field <" + e.getTagName() + ">");
                }
            }
        }
        return out;
    }

    private static DocumentBuilderFactory factory() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            return f;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
