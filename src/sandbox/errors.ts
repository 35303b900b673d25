// Sandbox: Feishu's error codes and the error type the open-api routes throw.
// Messages follow the official error tables so a bot's logs read like production.

export class FeishuApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: number,
    msg: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(msg);
  }
}

const err = (httpStatus: number, code: number, msg: string) => (detail?: string) =>
  new FeishuApiError(httpStatus, code, detail ? `${msg} ext=${detail}` : msg);

export const Errors = {
  // Generic (通用错误码)
  missingToken: err(400, 99991661, 'Missing access token for authorization. Please make a request with token attached.'),
  invalidToken: err(400, 99991663, 'Invalid access token for authorization. Please make a request with token attached.'),
  badTokenType: err(400, 99991671, 'Invalid token: token should start with t- or u-.'),
  notFound: err(404, 99991201, 'resource not find'),
  fieldValidation: err(400, 99992402, 'field validation failed'),
  internal: err(500, 2200, 'Internal Server Error'),
  // Auth
  invalidParam: err(400, 10003, 'invalid param'),
  appSecretInvalid: err(400, 10014, 'app secret invalid'),
  // IM
  imInvalidParam: err(400, 230001, 'Your request contains an invalid request parameter.'),
  botNotInChat: err(400, 230002, 'The bot can not be outside the group.'),
  recalled: err(400, 230011, 'The message is recalled.'),
  notSender: err(400, 230012, 'Bot is NOT the sender of the message.'),
  noAvailability: err(400, 230013, 'Bot has NO availability to this user.'),
  notResourceOwner: err(400, 230017, 'Bot is NOT the owner of the resource.'),
  receiverRateLimit: err(400, 230020, 'This operation triggers the frequency limit.'),
  tooLong: err(400, 230025, 'The length of the message content reaches its limit.'),
  noPermission: err(400, 230027, 'Lack of necessary permissions.'),
  editWindowPassed: err(400, 230031, 'Message can only be modified within 14 days after sending.'),
  invalidReceiveId: err(400, 230034, 'The receive_id is invalid.'),
  cardContent: (subCode: number, subMsg: string) =>
    new FeishuApiError(400, 230099, `Failed to create card content, ext=ErrCode: ${subCode}; ErrMsg: ${subMsg}; `),
  /** A JSON 2.0 card is updated while a click on it is being answered (发送消息 doc, 230099 子错误码 11310). */
  cardLocked: () => Errors.cardContent(11310, 'card action is lock'),
  // Chats
  chatInvalidParam: err(400, 232001, 'Your request contains an invalid request parameter.'),
  chatUnavailableIds: err(400, 232043, 'Your request contains unavailable ids.'),
  /** An unknown chat_id (获取群成员列表, 拉人/移出群聊 error tables). */
  chatNotFound: err(400, 232006, 'Your request specifies a chat_id which is invalid.'),
  /** The operator is not in the chat (232011 in the chat-member APIs). */
  chatOperatorNotIn: err(400, 232011, 'Operator can NOT be out of the chat.'),
  // Files
  fileInvalidParam: err(400, 234001, 'Invalid request param.'),
  fileTooLarge: err(400, 234006, 'The file size exceeds the limit.'),
  fileEmpty: err(400, 234010, "File's size can't be 0."),
  // Downloads (获取消息中的资源文件, 下载文件)
  messageDeleted: err(400, 230110, 'Action unavailable as the message has been deleted.'),
  fileNotInMessage: err(400, 234003, 'File not in message.'),
  appNotInChat: err(400, 234004, 'App not in chat.'),
  resourceNotFound: err(400, 234005, 'Image has been deleted.'),
  notResourceSender: err(400, 234008, 'The app is not the resource sender.'),
  downloadTooLarge: err(400, 234037, 'Downloaded file size exceeds limit.'),
  unsupportedMessageType: err(400, 234043, 'Unsupported message type.'),
  // Calendar
  calendarInvalidParam: err(400, 190002, 'invalid parameters in request'),
  // HTTP statuses as in the calendar pages' error tables (删除日程, 删除日程参与人).
  calendarNotFound: err(404, 191000, 'calendar not found'),
  eventNotFound: err(404, 193001, 'event not found'),
  eventDeleted: err(403, 193003, 'event is deleted'),
  // Delayed card update
  cardTokenInvalid: err(400, 300020, 'token is invalid'),
  cardTokenExpired: err(400, 300030, 'token is expired'),
  cardTokenUsedUp: err(400, 300040, 'token use times exceed the limit'),
};

export function rateLimited(limit: number, resetSeconds: number): FeishuApiError {
  return new FeishuApiError(429, 99991400, 'request trigger frequency limit', {
    'x-ogw-ratelimit-limit': String(limit),
    'x-ogw-ratelimit-reset': String(resetSeconds),
  });
}

/** Card-callback failures the Feishu client shows to the clicking user. */
export const CallbackErrors = {
  timeout: { code: 200341, msg: 'callback did not respond within 3 seconds' },
  connect: { code: 200342, msg: 'failed to connect to the callback url' },
  noUrl: { code: 200340, msg: 'callback url is not configured' },
  httpStatus: { code: 200671, msg: 'callback responded with a non-200 HTTP status' },
  badBody: { code: 200672, msg: 'callback response body has a wrong format' },
  badCard: { code: 200673, msg: 'callback response carries an invalid card' },
  downgrade: { code: 200830, msg: 'a 2.0 card cannot be updated to a 1.0 card' },
} as const;
