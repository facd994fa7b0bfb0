// Flags SQL text assembled from non-constant parts: a template literal with `${}` whose text
// looks like SQL, or `+` joining SQL-looking text to anything that is not a constant string.
const SQL_WORDS =
  /\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE|JOIN|GROUP BY|ORDER BY|LIMIT|OFFSET|VALUES|RETURNING|CREATE|ALTER|DROP|TRUNCATE|GRANT|SET)\b/;

function constantText(node) {
  if (node.type === 'Literal' && typeof node.value === 'string') {
    return node.value;
  }
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) {
    return node.quasis[0].value.cooked ?? '';
  }
  if (node.type === 'BinaryExpression' && node.operator === '+') {
    const left = constantText(node.left);
    const right = constantText(node.right);
    return left === undefined || right === undefined ? undefined : left + right;
  }
  return undefined;
}

// Methods whose string arguments are SQL, even when the text itself has no SQL keyword.
const SQL_METHODS = new Set([
  'query', 'where', 'andWhere', 'orWhere', 'having', 'andHaving', 'orHaving', 'select', 'addSelect',
  'orderBy', 'addOrderBy', 'groupBy', 'addGroupBy', 'innerJoin', 'leftJoin', 'innerJoinAndSelect',
  'leftJoinAndSelect',
]);

function isSqlCall(node) {
  const callee = node.parent?.type === 'CallExpression' && node.parent.arguments.includes(node) ? node.parent.callee : undefined;
  return callee?.type === 'MemberExpression' && callee.property.type === 'Identifier' && SQL_METHODS.has(callee.property.name);
}

function sqlLike(text) {
  return text !== undefined && SQL_WORDS.test(text);
}

function textParts(node) {
  if (node.type === 'BinaryExpression' && node.operator === '+') {
    return [...textParts(node.left), ...textParts(node.right)];
  }
  return [node];
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'SQL must be fixed text with bound parameters, never assembled from values' },
    schema: [],
    messages: {
      template: 'SQL built with template-literal interpolation; use fixed text and $n / :name parameters.',
      concat: 'SQL built with + concatenation of a non-constant value; use fixed text and $n / :name parameters.',
    },
  },
  create(context) {
    return {
      TemplateLiteral(node) {
        if (node.expressions.length > 0 && (isSqlCall(node) || node.quasis.some((quasi) => sqlLike(quasi.value.cooked ?? '')))) {
          context.report({ node, messageId: 'template' });
        }
      },
      BinaryExpression(node) {
        if (node.operator !== '+' || (node.parent.type === 'BinaryExpression' && node.parent.operator === '+')) {
          return;
        }
        const parts = textParts(node);
        const texts = parts.map(constantText);
        const assembled = texts.some((text) => text === undefined);
        if (assembled && (texts.some(sqlLike) || (isSqlCall(node) && texts.some((text) => text !== undefined)))) {
          context.report({ node, messageId: 'concat' });
        }
      },
    };
  },
};
